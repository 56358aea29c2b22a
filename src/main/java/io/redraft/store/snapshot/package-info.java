/**
 * Whole-keyspace snapshots of the Raft state machine, as Redis 7.0 RDB files (version 10) with
 * Redraft's AUX fields (raft-index, raft-term, raft-membership).
 *
 * <p>{@link io.redraft.store.snapshot.KeyspaceSnapshotWriter} takes a point-in-time copy while
 * commands keep running (copy-on-write at key granularity, driven in small steps on the keyspace
 * thread); {@link io.redraft.store.snapshot.KeyspaceSnapshotLoader} verifies a file's CRC-64 and
 * loads it into an empty keyspace.
 *
 * <p><b>Layout.</b> A restored node must answer later log entries exactly as a node that replayed
 * the log, and SPOP (a write) picks by position. So the loaded values get back the original's
 * layout, not just its content: each collection keeps its encoding (type byte, plus the AUX
 * "redraft-encoding" hint before a hashtable set, which RDB does not tell from a listpack one),
 * sets get back their member positions (written and re-added in position order), and key and
 * field tables iterate in an order fixed by their content alone
 * ({@code io.redraft.store.CanonicalChains}). Sorted-set dictionary slots and table capacities
 * are not reproduced: only reads (ZRANDMEMBER, ZSCAN, HRANDFIELD, HSCAN, SCAN, RANDOMKEY) see them.
 */
package io.redraft.store.snapshot;
