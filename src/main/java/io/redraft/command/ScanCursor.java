package io.redraft.command;

/**
 * SCAN cursors: unsigned 64-bit, parsed as Redis does with strtoul (so "", "+5" and "-1" are
 * accepted, the last meaning 2^64-1) and refused with "ERR invalid cursor" on a leading space,
 * trailing garbage or overflow.
 */
final class ScanCursor {
    static final CommandError INVALID = new CommandError("ERR invalid cursor");

    private ScanCursor() {
    }

    static long parse(byte[] arg) {
        int n = arg.length;
        // strtoul stops at a NUL byte, which then counts as the end of the string.
        for (int k = 0; k < n; k++) {
            if (arg[k] == 0) {
                n = k;
                break;
            }
        }
        if (n == 0) {
            return 0;
        }
        if (isSpace(arg[0])) {
            throw INVALID;
        }
        int i = 0;
        boolean negative = false;
        if (arg[0] == '+' || arg[0] == '-') {
            negative = arg[0] == '-';
            i = 1;
        }
        if (i == n) {
            throw INVALID; // a sign alone: strtoul consumes nothing
        }
        long v = 0;
        for (; i < n; i++) {
            int d = arg[i] - '0';
            if (d < 0 || d > 9) {
                throw INVALID;
            }
            // Unsigned overflow check: v * 10 + d must stay below 2^64.
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                throw INVALID;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    static String format(long cursor) {
        return Long.toUnsignedString(cursor);
    }
}
