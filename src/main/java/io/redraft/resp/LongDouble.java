package io.redraft.resp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Redis's INCRBYFLOAT/HINCRBYFLOAT arithmetic, which is C {@code long double}: on x86-64 the x87
 * extended format, a 64-bit significand. Java has no such type, so values are held as exact
 * {@link BigDecimal}s and rounded to a 64-bit significand after every step, which reproduces
 * Redis's results digit for digit ("0.1" + "0.2" is "0.3"; 1001.5 + 0.1 is
 * "1001.59999999999999998") and is deterministic on every node.
 *
 * <p>The exponent range of the x87 format (about ±4932 decimal) is not modelled: values past
 * double's range stay finite, as they do in Redis.
 */
public final class LongDouble {
    private static final int SIGNIFICAND_BITS = 64;
    private static final BigDecimal LOW = new BigDecimal(BigInteger.ONE.shiftLeft(SIGNIFICAND_BITS - 1));
    private static final BigDecimal HIGH = new BigDecimal(BigInteger.ONE.shiftLeft(SIGNIFICAND_BITS));
    private static final double LOG2_10 = Math.log(10) / Math.log(2);
    /** Redis's MAX_LONG_DOUBLE_CHARS: longer arguments are not numbers. */
    private static final int MAX_CHARS = 5 * 1024;

    private LongDouble() {
    }

    /** True for the spellings of infinity strtold accepts ("inf", "-Infinity"…). */
    public static boolean isInfinity(byte[] b) {
        String s = new String(b, StandardCharsets.US_ASCII).toLowerCase();
        if (s.startsWith("+") || s.startsWith("-")) {
            s = s.substring(1);
        }
        return s.equals("inf") || s.equals("infinity");
    }

    /**
     * The finite value of a Redis float argument, rounded to long double; null when it is not a
     * finite decimal number (spaces, "nan", junk, infinity — check {@link #isInfinity} first).
     */
    public static BigDecimal parse(byte[] b) {
        if (b.length == 0 || b.length > MAX_CHARS || RedisNumbers.parseDouble(b) == null || isInfinity(b)) {
            return null;
        }
        try {
            return round(new BigDecimal(new String(b, StandardCharsets.US_ASCII)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** a * b with long double rounding. */
    public static BigDecimal multiply(BigDecimal a, BigDecimal b) {
        return round(a.multiply(b));
    }

    /** a + b with long double rounding. */
    public static BigDecimal add(BigDecimal a, BigDecimal b) {
        return round(a.add(b));
    }

    /** Rounds an exact value to the nearest long double (64-bit significand, ties to even). */
    static BigDecimal round(BigDecimal x) {
        if (x.signum() == 0) {
            return BigDecimal.ZERO;
        }
        boolean negative = x.signum() < 0;
        BigDecimal abs = x.abs();
        // e estimates floor(log2 |x|); the loop fixes the estimate so 2^63 <= |x| * 2^(63-e) < 2^64.
        int e = (int) Math.floor(abs.unscaledValue().bitLength() - 1 - abs.scale() * LOG2_10);
        BigDecimal scaled;
        while (true) {
            scaled = timesPowerOfTwo(abs, SIGNIFICAND_BITS - 1 - e);
            if (scaled.compareTo(LOW) < 0) {
                e--;
            } else if (scaled.compareTo(HIGH) >= 0) {
                e++;
            } else {
                break;
            }
        }
        BigInteger m = scaled.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
        BigDecimal r = timesPowerOfTwo(new BigDecimal(m), e - (SIGNIFICAND_BITS - 1));
        r = r.stripTrailingZeros();
        return negative ? r.negate() : r;
    }

    /** x * 2^k, exactly (2^-n is 5^n / 10^n). */
    private static BigDecimal timesPowerOfTwo(BigDecimal x, int k) {
        if (k >= 0) {
            return x.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(k)));
        }
        return x.multiply(new BigDecimal(BigInteger.valueOf(5).pow(-k), -k));
    }

    /** Redis's human form: printf "%.17Lf", trailing zeros and point removed, "-0" as "0". */
    public static String format(BigDecimal v) {
        String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }
}
