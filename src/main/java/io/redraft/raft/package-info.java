/**
 * The Raft consensus core: a pure, deterministic, single-threaded state machine in the style of
 * etcd-io/raft. It does no I/O, starts no threads and reads no clock; a driver feeds it ticks,
 * messages and client requests and carries out the {@link io.redraft.raft.Ready} batches it returns.
 *
 * <h2>Layout</h2>
 * <ul>
 *   <li>Façade: {@link io.redraft.raft.RaftNode} (tick/step/propose/readIndex/proposeMembershipChange/
 *       transferLeadership/compact, hasReady/ready/advance), configured by {@link io.redraft.raft.RaftConfig}.</li>
 *   <li>Values exchanged with the driver: {@link io.redraft.raft.Ready}, {@link io.redraft.raft.Message}
 *       ({@link io.redraft.raft.MessageType}), {@link io.redraft.raft.Entry}, {@link io.redraft.raft.HardState},
 *       {@link io.redraft.raft.SoftState}, {@link io.redraft.raft.ReadState}, {@link io.redraft.raft.Snapshot},
 *       {@link io.redraft.raft.SnapshotMetadata}, {@link io.redraft.raft.SnapshotSend},
 *       {@link io.redraft.raft.Membership}, {@link io.redraft.raft.MembershipChange},
 *       {@link io.redraft.raft.ProposalRejectedException}.</li>
 *   <li>Storage seam: {@link io.redraft.raft.RaftStorage} (read-only to the core; the driver writes it after
 *       persisting a Ready) and the in-memory {@link io.redraft.raft.MemoryRaftStorage}. A durable
 *       implementation (Chronicle Queue) belongs in the {@code log} subpackage; transports in {@code net}.</li>
 *   <li>Internals, one job each: {@code RaftLog} (persisted + {@code Unstable} tail, commit/applied),
 *       {@code MembershipLog} (which configuration is in effect, surviving truncation),
 *       {@code ProgressTracker}/{@link io.redraft.raft.Progress}/{@code Inflights} (per-follower replication
 *       state and all quorum arithmetic), {@code ReadOnlyQueue} (batched read-index rounds).</li>
 * </ul>
 *
 * <h2>Driver contract (the one rule that matters)</h2>
 * Messages of a Ready are sent only after that Ready's hard state and entries are durable; committed
 * entries are applied after that too. See {@link io.redraft.raft.Ready}.
 *
 * <h2>Testing</h2>
 * {@code src/test/java/io/redraft/raft/sim} holds a seeded whole-cluster simulator that checks safety
 * invariants after every event and linearizability of client histories; run it with
 * {@code -Dsimulation.seeds=N} or replay one run with {@code -Dsimulation.seed=S}.
 */
package io.redraft.raft;
