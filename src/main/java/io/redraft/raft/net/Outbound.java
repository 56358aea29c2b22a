package io.redraft.raft.net;

/** An item of a peer's outbound queue: an encoded frame, or a snapshot transfer that yields frames. */
sealed interface Outbound permits Outbound.Frame, SnapshotTransfer {

    /** Whether a full queue may evict it. Raft tolerates lost messages; forwards and snapshots are not evicted. */
    boolean droppable();

    /** @param counted whether it counts as a message in {@link PeerStats} */
    record Frame(byte[] bytes, boolean droppable, boolean counted) implements Outbound { }
}
