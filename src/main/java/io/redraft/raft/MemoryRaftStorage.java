package io.redraft.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * In-memory {@link RaftStorage} for tests and simulations. Besides the read interface it offers the
 * write operations a driver performs when persisting a {@link Ready}. Not thread-safe.
 */
public final class MemoryRaftStorage implements RaftStorage {
    private HardState hardState = HardState.EMPTY;
    private SnapshotMetadata snapshot;
    private byte[] snapshotData = new byte[0];
    /** entries.get(i) has index snapshot.index() + 1 + i. */
    private final ArrayList<Entry> entries = new ArrayList<>();

    /** A fresh node; {@code initial} is the bootstrap configuration (EMPTY for a node that will be added later). */
    public MemoryRaftStorage(Membership initial) {
        this.snapshot = SnapshotMetadata.initial(initial);
    }

    /** Deep-enough copy: entries are immutable, so sharing them is fine. */
    public MemoryRaftStorage copy() {
        MemoryRaftStorage c = new MemoryRaftStorage(snapshot.membership());
        c.hardState = hardState;
        c.snapshot = snapshot;
        c.snapshotData = snapshotData;
        c.entries.addAll(entries);
        return c;
    }

    @Override public HardState hardState() { return hardState; }
    @Override public SnapshotMetadata snapshotMetadata() { return snapshot; }
    public byte[] snapshotData() { return snapshotData; }
    @Override public long firstIndex() { return snapshot.index() + 1; }
    @Override public long lastIndex() { return snapshot.index() + entries.size(); }

    @Override public long term(long index) {
        if (index == snapshot.index()) return snapshot.term();
        long off = index - snapshot.index() - 1;
        if (off < 0 || off >= entries.size()) throw new IndexOutOfBoundsException("term(" + index + ") outside " + firstIndex() + ".." + lastIndex());
        return entries.get((int) off).term();
    }

    /** Null if unavailable (compacted or beyond the end); convenient for checkers. */
    public Entry entry(long index) {
        long off = index - snapshot.index() - 1;
        if (off < 0 || off >= entries.size()) return null;
        return entries.get((int) off);
    }

    @Override public List<Entry> entries(long lo, long hi, long maxBytes) {
        if (lo < firstIndex() || hi > lastIndex() + 1 || lo >= hi) throw new IndexOutOfBoundsException("entries(" + lo + "," + hi + ") outside " + firstIndex() + ".." + lastIndex());
        List<Entry> out = new ArrayList<>();
        long size = 0;
        for (long i = lo; i < hi; i++) {
            Entry e = entries.get((int) (i - snapshot.index() - 1));
            size += e.size();
            if (!out.isEmpty() && size > maxBytes) break;
            out.add(e);
        }
        return out;
    }

    public void setHardState(HardState hs) { hardState = hs; }

    /** Appends entries, first discarding any persisted entries at or after {@code ents[0].index()}. */
    public void append(List<Entry> ents) {
        if (ents.isEmpty()) return;
        long first = ents.get(0).index();
        if (first <= snapshot.index()) throw new IllegalStateException("append below snapshot: " + first);
        if (first > lastIndex() + 1) throw new IllegalStateException("gap: append " + first + " after " + lastIndex());
        int keep = (int) (first - snapshot.index() - 1);
        while (entries.size() > keep) entries.remove(entries.size() - 1);
        entries.addAll(ents);
    }

    /** Replaces everything with a snapshot received from the leader. */
    public void applySnapshot(Snapshot s) {
        snapshot = s.metadata();
        snapshotData = s.data();
        entries.clear();
    }

    /**
     * Records a locally taken snapshot and discards the log prefix up to {@code meta.index()}
     * (which must be persisted). Use {@link RaftNode#compact(long)} to obtain {@code meta}.
     */
    public void compact(SnapshotMetadata meta, byte[] data) {
        if (meta.index() <= snapshot.index()) return;
        if (meta.index() > lastIndex()) throw new IllegalStateException("compact beyond last index");
        int drop = (int) (meta.index() - snapshot.index());
        entries.subList(0, drop).clear();
        snapshot = meta;
        snapshotData = data;
    }
}
