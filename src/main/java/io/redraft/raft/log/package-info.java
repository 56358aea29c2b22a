/**
 * The durable Raft log and the node's small metadata files. Self-contained: nothing here depends
 * on the consensus core, which reaches it through a thin adapter.
 *
 * <ul>
 *   <li>{@link io.redraft.raft.log.RaftJournal}: entries on Chronicle Queue (one cycle file per
 *       segment, CRC32C per record, suffix truncation by starting a segment, compaction by deleting
 *       segment files, group-commit fsync per {@link io.redraft.raft.log.FsyncPolicy}).</li>
 *   <li>{@link io.redraft.raft.log.HardStateFile}: term, vote, commit, replaced atomically.</li>
 *   <li>{@link io.redraft.raft.log.SnapshotMetaFile}: index, term and membership of the snapshot.</li>
 *   <li>{@link io.redraft.raft.log.DataDirLock}: one process per data directory.</li>
 * </ul>
 *
 * <p>Mapping to the core's storage interface: firstIndex() → {@code firstIndex()}, lastIndex() →
 * {@code lastIndex()}, term(i) → {@code term(i)} (valid from firstIndex()-1), entries(lo, hi,
 * maxBytes) → {@code entries(lo, hi, maxBytes)} (hi exclusive, at least one entry), persist entries
 * → {@code append(list)} then {@code whenPersisted(last)}, hard state → {@code HardStateFile},
 * snapshot metadata → {@code SnapshotMetaFile}; after saving a snapshot at i call
 * {@code compactTo(i)}, after installing one the log does not match call {@code resetTo(i, term)}.
 */
package io.redraft.raft.log;
