package io.redraft.command;

import io.redraft.resp.RedisNumbers;

import java.nio.charset.StandardCharsets;

/** Argument parsing with Redis's error replies. */
public final class Args {
    private Args() {
    }

    /** argv[i] as an integer, or "ERR value is not an integer or out of range". */
    public static long toLong(byte[] arg) {
        Long v = RedisNumbers.parseLong(arg);
        if (v == null) {
            throw CommandError.NOT_INTEGER;
        }
        return v;
    }

    /** An integer that must fit an int (Redis's getRangeLongFromObject/INT_MAX checks). */
    public static int toInt(byte[] arg) {
        long v = toLong(arg);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw CommandError.NOT_INTEGER;
        }
        return (int) v;
    }

    /** argv[i] as a double, or "ERR value is not a valid float". */
    public static double toDouble(byte[] arg) {
        Double v = RedisNumbers.parseDouble(arg);
        if (v == null) {
            throw CommandError.NOT_FLOAT;
        }
        return v;
    }

    /** Case-insensitive comparison of an argument with an ASCII keyword. */
    public static boolean is(byte[] arg, String keyword) {
        int n = keyword.length();
        if (arg.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int a = arg[i];
            if (a >= 'A' && a <= 'Z') {
                a += 32;
            }
            int k = keyword.charAt(i);
            if (k >= 'A' && k <= 'Z') {
                k += 32;
            }
            if (a != k) {
                return false;
            }
        }
        return true;
    }

    public static String str(byte[] arg) {
        return new String(arg, StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The lower-case ASCII form of a keyword argument. */
    public static String lower(byte[] arg) {
        return str(arg).toLowerCase(java.util.Locale.ROOT);
    }
}
