package io.redraft.raft;

import java.util.Arrays;

/**
 * One log entry. Immutable by convention: the {@code data} array must not be modified after
 * construction (it is not copied, to avoid copying every payload on the hot path).
 */
public record Entry(long index, long term, Type type, byte[] data) {

    public enum Type {
        /** A client command for the state machine. */
        NORMAL,
        /** Appended by every new leader so it can commit an entry of its own term (Raft §5.4.2). */
        NOOP,
        /** {@code data} is an encoded {@link Membership}: the complete configuration after the change. */
        MEMBERSHIP
    }

    private static final byte[] EMPTY = new byte[0];

    public Entry {
        if (data == null) data = EMPTY;
    }

    /** Approximate size used for flow control (maxSizePerMsg, inflight bytes, uncommitted size). */
    public long size() { return data.length + 24L; }

    @Override public boolean equals(Object o) {
        return o instanceof Entry e && e.index == index && e.term == term && e.type == type && Arrays.equals(e.data, data);
    }

    @Override public int hashCode() { return Long.hashCode(index) * 31 + Long.hashCode(term) * 17 + Arrays.hashCode(data); }

    @Override public String toString() { return "Entry{" + index + "/" + term + " " + type + " " + data.length + "B}"; }
}
