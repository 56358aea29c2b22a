package io.redraft.resp;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;

/** Redis's number parsing and formatting rules, shared by every command family. */
public final class RedisNumbers {
    private RedisNumbers() {
    }

    /** Parses a Redis integer argument (strict: no spaces, no '+', no leading zeros); null if invalid. */
    public static Long parseLong(byte[] b) {
        int n = b.length;
        if (n == 0 || n > 20) {
            return null;
        }
        int i = 0;
        boolean negative = false;
        if (b[0] == '-') {
            negative = true;
            i = 1;
            if (n == 1) {
                return null;
            }
        }
        if (b[i] == '0' && n > i + 1) {
            return null;
        }
        if (b[i] == '0' && negative) {
            return null; // "-0" is not a valid Redis integer
        }
        long v = 0;
        for (; i < n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            // accumulate negatively so Long.MIN_VALUE parses
            if (v < (Long.MIN_VALUE + d) / 10) {
                return null;
            }
            v = v * 10 - d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                return null;
            }
            return -v;
        }
        return v;
    }

    /**
     * Parses a Redis double argument (strtod rules, "inf"/"+inf"/"-inf" accepted, NaN and spaces
     * refused); null if invalid.
     */
    public static Double parseDouble(byte[] b) {
        if (b.length == 0 || b.length > 5000) {
            return null;
        }
        String s = new String(b, StandardCharsets.US_ASCII);
        if (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))) {
            return null;
        }
        String lower = s.toLowerCase();
        switch (lower) {
            case "inf": case "+inf": case "infinity": case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf": case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) {
                return null; // refuses "nan", hex floats and Java's "d"/"f" suffixes
            }
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isNaN(d) ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Formats a double as Redis's "%.17g" does (ZSCORE, RESP2 doubles); "inf", "-inf", "nan". */
    public static String formatDouble(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        BigDecimal bd = new BigDecimal(d).round(new MathContext(17));
        int exponent = bd.precision() - bd.scale() - 1;
        if (exponent < -4 || exponent >= 17) {
            BigDecimal unscaled = bd.movePointLeft(exponent).stripTrailingZeros();
            String mant = unscaled.toPlainString();
            String exp = (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
            return mant + "e" + exp;
        }
        return bd.stripTrailingZeros().toPlainString();
    }

    /**
     * Formats a double as INCRBYFLOAT / HINCRBYFLOAT do ("%.17Lf" with trailing zeros removed):
     * human-friendly, never exponential.
     */
    public static String formatLongDouble(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        BigDecimal bd = new BigDecimal(d).round(new MathContext(17));
        String s = bd.stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }
}
