package io.redraft.resp;

/** The request-size limits of the client port (Redis's names and defaults). */
public record RespLimits(long protoMaxBulkLen, long queryBufferLimit) {
    /** Redis allows at most this many arguments in one multibulk request. */
    public static final int MAX_MULTIBULK = 1024 * 1024;
    /** Redis's PROTO_INLINE_MAX_SIZE: an inline request (or a header line) longer than this is refused. */
    public static final int MAX_INLINE = 64 * 1024;
    /** Before AUTH (when a password is required) Redis accepts at most 10 arguments… */
    public static final int MAX_UNAUTHENTICATED_MULTIBULK = 10;
    /** …of at most 16 KiB each. */
    public static final int MAX_UNAUTHENTICATED_BULK = 16 * 1024;

    public static final RespLimits DEFAULTS = new RespLimits(512L * 1024 * 1024, 1024L * 1024 * 1024);
}
