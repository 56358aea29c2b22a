package io.redraft.store;

/**
 * Redis's glob-style pattern matching (stringmatchlen): {@code * ? [abc] [^a] [a-z] \x}.
 * Used by KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE.
 */
public final class GlobMatcher {
    private GlobMatcher() {
    }

    /** Results of {@link #match}: no match; match; no match and no point trying further. */
    private static final int NO = 0;
    private static final int YES = 1;
    private static final int ABORT = 2;

    public static boolean matches(byte[] pattern, byte[] string, boolean nocase) {
        return match(pattern, 0, string, 0, nocase, 0) == YES;
    }

    private static int match(byte[] p, int pi, byte[] s, int si, boolean nocase, int depth) {
        if (depth > 1000) {
            return NO; // bounds recursion on hostile patterns, as Redis does
        }
        int plen = p.length;
        int slen = s.length;
        while (pi < plen && si <= slen) {
            byte pc = p[pi];
            switch (pc) {
                case '*':
                    while (pi + 1 < plen && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == plen) {
                        return YES;
                    }
                    for (int k = si; k <= slen; k++) {
                        int r = match(p, pi + 1, s, k, nocase, depth + 1);
                        if (r != NO) {
                            return r;
                        }
                    }
                    // The rest of the pattern matches no suffix of the string, so an earlier '*'
                    // taking more characters cannot help either: stop every enclosing '*' loop
                    // (Redis's skipLongerMatches; without it "a*a*a*...b" is exponential).
                    return ABORT;
                case '?':
                    if (si >= slen) {
                        return NO;
                    }
                    si++;
                    break;
                case '[': {
                    if (si >= slen) {
                        return NO;
                    }
                    pi++;
                    boolean not = pi < plen && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean matched = false;
                    while (true) {
                        if (pi >= plen) {
                            pi--; // unterminated class: Redis treats the end as closing it
                            break;
                        }
                        if (p[pi] == '\\' && pi + 1 < plen) {
                            pi++;
                            if (p[pi] == s[si]) {
                                matched = true;
                            }
                        } else if (p[pi] == ']') {
                            break;
                        } else if (pi + 2 < plen && p[pi + 1] == '-') {
                            int start = p[pi] & 0xff;
                            int end = p[pi + 2] & 0xff;
                            int c = s[si] & 0xff;
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = Character.toLowerCase(start);
                                end = Character.toLowerCase(end);
                                c = Character.toLowerCase(c);
                            }
                            pi += 2;
                            if (c >= start && c <= end) {
                                matched = true;
                            }
                        } else if (eq(p[pi], s[si], nocase)) {
                            matched = true;
                        }
                        pi++;
                    }
                    if (not) {
                        matched = !matched;
                    }
                    if (!matched) {
                        return NO;
                    }
                    si++;
                    break;
                }
                case '\\':
                    if (pi + 1 < plen) {
                        pi++;
                    }
                    // fall through: literal match
                default:
                    if (si >= slen || !eq(p[pi], s[si], nocase)) {
                        return NO;
                    }
                    si++;
                    break;
            }
            pi++;
            if (si == slen) {
                while (pi < plen && p[pi] == '*') {
                    pi++;
                }
                break;
            }
        }
        return pi == plen && si == slen ? YES : NO;
    }

    private static boolean eq(byte a, byte b, boolean nocase) {
        if (a == b) {
            return true;
        }
        return nocase && Character.toLowerCase(a & 0xff) == Character.toLowerCase(b & 0xff);
    }
}
