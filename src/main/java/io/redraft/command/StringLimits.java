package io.redraft.command;

/**
 * The size bound on strings built by commands (APPEND, SETRANGE, SETBIT, BITFIELD):
 * proto-max-bulk-len, as in Redis, further capped by the largest Java array.
 *
 * <p>The configured value is only read for sizes above 1 MB (its smallest legal value), so
 * the common small case costs a comparison.
 */
final class StringLimits {
    /** The smallest value proto-max-bulk-len accepts: anything up to it is always allowed. */
    private static final long ALWAYS_ALLOWED = 1024 * 1024;
    /** Largest byte[] the JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    static final CommandError TOO_BIG =
            new CommandError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    static final CommandError BAD_BIT_OFFSET = new CommandError("ERR bit offset is not an integer or out of range");

    private StringLimits() {
    }

    /** The largest string length allowed now. */
    static long maxLength(CommandContext ctx) {
        return Math.min(ctx.server().config().getLong("proto-max-bulk-len"), MAX_ARRAY);
    }

    /** Throws the Redis error if a string of {@code total} bytes (negative = overflowed) is too big. */
    static void checkLength(CommandContext ctx, long total) {
        if (total < 0 || (total > ALWAYS_ALLOWED && total > maxLength(ctx))) {
            throw TOO_BIG;
        }
    }

    /**
     * Parses a bit offset (SETBIT, GETBIT, BITFIELD). With {@code fieldBits > 0} a leading '#'
     * means "field number", multiplied by the field width. The byte holding the bit must lie
     * below proto-max-bulk-len, so the default limit is 2^32-1 bits.
     */
    static long bitOffset(CommandContext ctx, byte[] arg, int fieldBits) {
        boolean fieldIndex = fieldBits > 0 && arg.length > 0 && arg[0] == '#';
        Long parsed = io.redraft.resp.RedisNumbers.parseLong(
                fieldIndex ? java.util.Arrays.copyOfRange(arg, 1, arg.length) : arg);
        if (parsed == null || (fieldIndex && (parsed < 0 || parsed > Long.MAX_VALUE / fieldBits))) {
            throw BAD_BIT_OFFSET;
        }
        long offset = fieldIndex ? parsed * fieldBits : parsed;
        long bytes = offset >> 3;
        if (offset < 0 || (bytes >= ALWAYS_ALLOWED && bytes >= maxLength(ctx))) {
            throw BAD_BIT_OFFSET;
        }
        return offset;
    }
}
