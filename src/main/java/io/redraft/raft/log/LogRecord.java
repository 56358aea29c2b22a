package io.redraft.raft.log;

import java.util.Objects;

/**
 * One Raft log entry as the journal stores it. The payload is opaque to the journal; {@code type}
 * lets the consensus core tell normal entries from configuration changes or no-ops without
 * decoding the payload. The payload array is not copied: callers must not mutate it afterwards.
 */
public record LogRecord(long index, long term, byte type, byte[] payload) {

    /** Bytes of one record on disk besides its payload: index, term, type, length, CRC32C. */
    public static final int OVERHEAD = 8 + 8 + 1 + 4 + 4;

    public LogRecord {
        Objects.requireNonNull(payload, "payload");
        if (index < 1) throw new IllegalArgumentException("Raft indexes start at 1: " + index);
        if (term < 0) throw new IllegalArgumentException("negative term: " + term);
    }

    /** Size of the record as stored, which is what {@code entries(lo, hi, maxBytes)} budgets by. */
    public int encodedSize() {
        return OVERHEAD + payload.length;
    }
}
