package io.redraft.raft;

import java.util.List;

/**
 * Read-only view of the durable Raft state, as the core sees it. The core never writes storage:
 * the driver persists what a {@link Ready} hands out (hard state, entries, snapshot) and only then
 * calls {@link RaftNode#advance}. A durable implementation must make those writes visible here.
 *
 * <p>Index conventions (as in etcd): the log holds entries {@code firstIndex()..lastIndex()}; the
 * entry just before the first one is described by {@link #snapshotMetadata()} (index 0, term 0 for
 * an empty, never-compacted log). {@code lastIndex() == firstIndex() - 1} means "no entries".
 */
public interface RaftStorage {

    /** Hard state persisted last (HardState.EMPTY for a fresh node). */
    HardState hardState();

    /**
     * Metadata of the latest snapshot (or the bootstrap configuration at index 0). Its membership is
     * the configuration as of that index; membership entries after it override it.
     */
    SnapshotMetadata snapshotMetadata();

    /** Index of the first entry still available (= snapshotMetadata().index() + 1). */
    long firstIndex();

    /** Index of the last persisted entry (= firstIndex() - 1 if the log is empty). */
    long lastIndex();

    /**
     * Term of the entry at {@code index}, for {@code firstIndex()-1 <= index <= lastIndex()}.
     * Behaviour outside that range is undefined; the core never asks.
     */
    long term(long index);

    /**
     * Entries in {@code [lo, hi)}, with {@code firstIndex() <= lo < hi <= lastIndex()+1}, stopping
     * once their total {@link Entry#size()} exceeds {@code maxBytes} but always returning at least one.
     */
    List<Entry> entries(long lo, long hi, long maxBytes);
}
