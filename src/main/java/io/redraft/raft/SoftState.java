package io.redraft.raft;

/** Volatile state the driver may want to observe (not persisted): who leads and our role. */
public record SoftState(long leaderId, Role role) { }
