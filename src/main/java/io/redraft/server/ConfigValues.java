package io.redraft.server;

import java.util.Locale;

/** Parsing helpers for configuration values, with redis.conf's conventions. */
public final class ConfigValues {
    private ConfigValues() {
    }

    /** "1gb" = 1024^3, "1g" = 1000^3, "512mb", "64k", or a plain number of bytes. */
    public static long parseMemory(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"},
                {"k", "1000"}, {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        try {
            long v = Long.parseLong(s);
            return Math.multiplyExact(v, mul);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("argument must be a memory value");
        }
    }

    /**
     * Splits a redis.conf line into arguments: words separated by spaces, with "double" and
     * 'single' quotes as in redis.conf (same rules as inline commands).
     */
    public static java.util.List<String> splitLine(String line) {
        java.util.List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\' && i + 1 < line.length() && quote == '"') {
                    char n = line.charAt(++i);
                    cur.append(n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : n);
                } else if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (cur != null) {
                    out.add(cur.toString());
                    cur = null;
                }
            } else {
                if (cur == null) {
                    cur = new StringBuilder();
                }
                if (c == '"' || c == '\'') {
                    quote = c;
                } else {
                    cur.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("Unbalanced quotes in configuration line");
        }
        if (cur != null) {
            out.add(cur.toString());
        }
        return out;
    }
}
