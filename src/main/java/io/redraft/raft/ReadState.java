package io.redraft.raft;

/**
 * A linearizable read became safe: once the local state machine has applied {@code index}, the
 * read identified by {@code requestContext} may be served from local state.
 */
public record ReadState(long requestContext, long index) { }
