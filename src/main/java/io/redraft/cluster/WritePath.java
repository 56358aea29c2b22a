package io.redraft.cluster;

import io.redraft.server.ClientSession;

/**
 * Where writes go to become durable and ordered before they are applied. Without Raft the entry
 * is applied at once ({@link LocalWritePath}); with Raft it is proposed to the log and applied
 * when committed. Either way the reply reaches the waiting session from the apply.
 */
public interface WritePath {
    /**
     * Submits a write. session is the client waiting for the reply (null for internal writes
     * such as active expiry). Called on the keyspace thread.
     */
    void submit(WriteEntry entry, ClientSession session);

    /**
     * The error every write gets right now without being submitted (e.g. the disk is full), or
     * null when writes are accepted. Called on the keyspace thread before each write.
     */
    default String refusal() {
        return null;
    }

    /** Where reads get their linearizability barrier, or null when they need none. */
    default ReadBarriers readBarriers() {
        return null;
    }
}
