package io.redraft.command;

import io.redraft.store.GlobMatcher;

/** The arguments of SSCAN / ZSCAN: cursor [MATCH pattern] [COUNT count]. */
final class MemberScan {
    final long cursor;
    final byte[] pattern;
    final int count;

    private MemberScan(long cursor, byte[] pattern, int count) {
        this.cursor = cursor;
        this.pattern = pattern;
        this.count = count;
    }

    /** Parses argv from the cursor at index cursorIdx, with Redis's errors. */
    static MemberScan parse(byte[][] argv, int cursorIdx) {
        long cursor = parseCursor(argv[cursorIdx]);
        byte[] pattern = null;
        long count = 10;
        for (int i = cursorIdx + 1; i < argv.length; i += 2) {
            if (i + 1 >= argv.length) {
                throw CommandError.SYNTAX;
            }
            if (Args.is(argv[i], "count")) {
                count = Args.toLong(argv[i + 1]);
                if (count < 1) {
                    throw CommandError.SYNTAX;
                }
            } else if (Args.is(argv[i], "match")) {
                pattern = argv[i + 1];
            } else {
                throw CommandError.SYNTAX;
            }
        }
        // A lone "*" matches everything: skip matching altogether, as Redis does.
        if (pattern != null && pattern.length == 1 && pattern[0] == '*') {
            pattern = null;
        }
        return new MemberScan(cursor, pattern, (int) Math.min(count, Integer.MAX_VALUE));
    }

    /** An unsigned decimal cursor (strtoull), or "ERR invalid cursor". */
    private static long parseCursor(byte[] b) {
        if (b.length == 0 || b.length > 20) {
            throw new CommandError("ERR invalid cursor");
        }
        long v = 0;
        for (byte c : b) {
            if (c < '0' || c > '9') {
                throw new CommandError("ERR invalid cursor");
            }
            long next = v * 10 + (c - '0');
            if (Long.compareUnsigned(next, v) < 0 || Long.divideUnsigned(next, 10) != v) {
                throw new CommandError("ERR invalid cursor");
            }
            v = next;
        }
        return v;
    }

    boolean matches(byte[] member) {
        return pattern == null || GlobMatcher.matches(pattern, member, false);
    }
}
