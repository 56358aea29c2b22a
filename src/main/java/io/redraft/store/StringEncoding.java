package io.redraft.store;

import io.redraft.resp.RedisNumbers;

/**
 * The encoding OBJECT ENCODING reports for a string value. Strings are stored as plain
 * {@code byte[]}, so the encoding is derived from the bytes with Redis's thresholds: a value
 * that reads as a 64-bit integer is "int", a short one (at most 44 bytes, what fits an embedded
 * SDS in a 64-byte allocation) "embstr", anything else "raw".
 *
 * <p>Unlike Redis we do not remember that APPEND/SETRANGE/SETBIT turned a value "raw".
 */
public final class StringEncoding {
    /** Longest string Redis stores embedded in its object header. */
    public static final int EMBSTR_MAX = 44;

    private StringEncoding() {
    }

    public static String of(byte[] value) {
        if (value.length <= 20 && RedisNumbers.parseLong(value) != null) {
            return "int";
        }
        // A HyperLogLog is "raw" however short: Redis creates it raw and every PF command that
        // touches one unshares it into a raw string.
        return value.length <= EMBSTR_MAX && !HyperLogLog.isValid(value) ? "embstr" : "raw";
    }
}
