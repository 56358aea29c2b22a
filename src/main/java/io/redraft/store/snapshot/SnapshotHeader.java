package io.redraft.store.snapshot;

/**
 * What a snapshot file says about itself besides the keys: the last applied log index and its
 * term, the cluster membership as of that index (opaque bytes of {@code Membership.encode()}),
 * and the creation time in Unix milliseconds (stored as Redis's "ctime" AUX field, in seconds;
 * pass the timestamp of the last applied entry so every node writes the same bytes).
 */
public record SnapshotHeader(long index, long term, byte[] membership, long timeMillis) {
    public SnapshotHeader {
        membership = membership == null ? new byte[0] : membership;
    }
}
