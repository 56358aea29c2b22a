/**
 * Whole-keyspace snapshots of the Raft state machine, as Redis 7.0 RDB files (version 10) with
 * Redraft's AUX fields (raft-index, raft-term, raft-membership).
 *
 * <p>{@link io.redraft.store.snapshot.KeyspaceSnapshotWriter} takes a point-in-time copy while
 * commands keep running (copy-on-write at key granularity, driven in small steps on the keyspace
 * thread); {@link io.redraft.store.snapshot.KeyspaceSnapshotLoader} verifies a file's CRC-64 and
 * loads it into an empty keyspace.
 */
package io.redraft.store.snapshot;
