package io.redraft.raft.log;

/**
 * What a snapshot covers: the last included index and term, and the cluster membership as of that
 * index, as opaque bytes the consensus core encodes. {@link #NONE} means no snapshot yet.
 */
public record SnapshotMeta(long index, long term, byte[] membership) {
    public static final SnapshotMeta NONE = new SnapshotMeta(0, 0, new byte[0]);
}
