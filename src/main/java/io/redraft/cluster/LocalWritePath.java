package io.redraft.cluster;

import io.redraft.server.ClientSession;

/** Applies each write at once, numbering entries as a log would (no durability, no replication). */
public final class LocalWritePath implements WritePath {
    private final KeyspaceStateMachine stateMachine;
    private long lastIndex;

    public LocalWritePath(KeyspaceStateMachine stateMachine) {
        this.stateMachine = stateMachine;
    }

    @Override
    public void submit(WriteEntry entry, ClientSession session) {
        stateMachine.apply(++lastIndex, entry, session);
    }
}
