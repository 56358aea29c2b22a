package io.redraft.command;

import io.redraft.resp.LongDouble;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The timeout argument of the blocking commands, as Redis 7.0 reads it
 * (getTimeoutFromObjectOrReply with seconds): a long double number of seconds, times 1000,
 * rounded up to whole milliseconds. Quirks kept from C: a tiny negative ("-0.0001") rounds up
 * to 0 and so blocks forever; a product past the long range (infinity, 1e16) converts to
 * LLONG_MIN on x86 and is reported as negative.
 */
final class BlockingTimeout {
    static final CommandError NOT_A_FLOAT = new CommandError("ERR timeout is not a float or out of range");
    static final CommandError NEGATIVE = new CommandError("ERR timeout is negative");

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private BlockingTimeout() {
    }

    /** The timeout in milliseconds, 0 meaning "forever". */
    static long parseMillis(byte[] arg) {
        if (LongDouble.isInfinity(arg)) {
            throw NEGATIVE;
        }
        BigDecimal seconds = LongDouble.parse(arg);
        if (seconds == null) {
            throw NOT_A_FLOAT;
        }
        BigDecimal ms = LongDouble.multiply(seconds, THOUSAND).setScale(0, RoundingMode.CEILING);
        if (ms.compareTo(LONG_MIN) < 0 || ms.compareTo(LONG_MAX) > 0 || ms.signum() < 0) {
            throw NEGATIVE;
        }
        return ms.longValueExact();
    }

    /**
     * The absolute deadline of a timeout taken at now (the entry's timestamp), 0 for forever. A
     * deadline past the long range never comes, as in Redis where the sum wraps around.
     */
    static long deadline(long timeoutMillis, long now) {
        if (timeoutMillis == 0 || timeoutMillis > Long.MAX_VALUE - now) {
            return 0;
        }
        return now + timeoutMillis;
    }
}
