package io.redraft.raft.log;

import io.redraft.raft.Entry;
import io.redraft.raft.Membership;
import io.redraft.raft.RaftStorage;
import io.redraft.raft.Snapshot;
import io.redraft.raft.SnapshotMetadata;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The consensus core's {@link RaftStorage} on top of the durable journal: the thin adapter the
 * package description promises. Besides the read interface it offers the same write operations as
 * {@link io.redraft.raft.MemoryRaftStorage} (with the same checks and answers), so a driver can
 * swap one for the other; these throw {@link IOException} because they touch the disk.
 *
 * <p>Layout of a data directory: {@code LOCK} ({@link DataDirLock}), {@code hardstate}
 * ({@link HardStateFile}), {@code snapshot.meta} ({@link SnapshotMetaFile}) and the journal in
 * {@code log/}.
 *
 * <p>The snapshot metadata is the authority on where the log starts: the journal may keep entries
 * below it (compaction deletes whole segments only), so {@link #firstIndex()} is always
 * {@code snapshotMetadata().index() + 1}. Writes order the metadata file before the journal change,
 * and {@link #open} finishes a journal reset a crash interrupted.
 *
 * <p>Reads come from the Raft thread, writes from the driver: the cached hard state and snapshot
 * metadata are volatile, and the journal is thread-safe.
 */
public final class JournalRaftStorage implements RaftStorage, AutoCloseable {
    /** Subdirectory of the data directory holding the journal. */
    public static final String LOG_DIR = "log";

    // Entry.Type as stored in LogRecord.type. Spelled out (not ordinal()) because they are on disk.
    static final byte TYPE_NORMAL = 0;
    static final byte TYPE_NOOP = 1;
    static final byte TYPE_MEMBERSHIP = 2;

    private final DataDirLock lock;
    private final RaftJournal journal;
    private final HardStateFile hardStateFile;
    private final SnapshotMetaFile snapshotFile;
    private volatile io.redraft.raft.HardState hardState;
    private volatile SnapshotMetadata snapshot;

    private JournalRaftStorage(DataDirLock lock, RaftJournal journal, HardStateFile hsf, SnapshotMetaFile smf,
                               io.redraft.raft.HardState hs, SnapshotMetadata snap) {
        this.lock = lock;
        this.journal = journal;
        this.hardStateFile = hsf;
        this.snapshotFile = smf;
        this.hardState = hs;
        this.snapshot = snap;
    }

    /** Opens (creating if needed) the storage in {@code dir} with the journal's default options. */
    public static JournalRaftStorage open(Path dir, Membership initial) throws IOException {
        return open(dir, initial, JournalOptions.DEFAULT);
    }

    /**
     * Locks and opens the storage in {@code dir}. {@code initial} is the bootstrap configuration
     * of a fresh directory (EMPTY for a node that will be added later); it is saved in
     * snapshot.meta at index 0, so on later opens the saved membership wins and this is ignored.
     *
     * @throws IOException if the directory is locked by another process or a file is damaged
     */
    public static JournalRaftStorage open(Path dir, Membership initial, JournalOptions options) throws IOException {
        DataDirLock lock = DataDirLock.acquire(dir);
        RaftJournal journal = null;
        try {
            HardStateFile hsf = new HardStateFile(dir);
            SnapshotMetaFile smf = new SnapshotMetaFile(dir);
            io.redraft.raft.HardState hs = toCore(hsf.load());
            SnapshotMeta saved = smf.load();
            SnapshotMetadata snap;
            if (saved.index() == 0 && saved.membership().length == 0) {
                // A fresh directory (an encoded Membership is never empty): record the bootstrap
                // configuration, so a restart does not depend on being given the same one again.
                snap = SnapshotMetadata.initial(initial);
                smf.save(toFile(snap));
            } else {
                snap = new SnapshotMetadata(saved.index(), saved.term(), Membership.decode(saved.membership()));
            }
            journal = RaftJournal.open(dir.resolve(LOG_DIR), options);
            if (snap.index() < journal.firstIndex() - 1) {
                // compact() saves snapshot.meta before deleting segments, so this is a lost or
                // stale metadata file; resetting would throw the remaining log away.
                throw new CorruptLogException(smf.path(), snap.index(), "snapshot is older than the journal's floor "
                        + (journal.firstIndex() - 1));
            }
            if (!journalCovers(journal, snap)) {
                // A crash between snapshot.meta and the journal reset of applySnapshot: finish it.
                journal.resetTo(snap.index(), snap.term());
            }
            return new JournalRaftStorage(lock, journal, hsf, smf, hs, snap);
        } catch (IOException | RuntimeException e) {
            if (journal != null) {
                try {
                    journal.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            lock.close();
            throw e;
        }
    }

    /** Whether the journal holds the snapshot's index with the snapshot's term (log matching). */
    private static boolean journalCovers(RaftJournal j, SnapshotMetadata snap) {
        long i = snap.index();
        return i >= j.firstIndex() - 1 && i <= j.lastIndex() && j.term(i) == snap.term();
    }

    // ------------------------------------------------------------------ RaftStorage

    @Override public io.redraft.raft.HardState hardState() { return hardState; }

    @Override public SnapshotMetadata snapshotMetadata() { return snapshot; }

    @Override public long firstIndex() { return snapshot.index() + 1; }

    @Override public long lastIndex() { return journal.lastIndex(); }

    @Override public long term(long index) {
        SnapshotMetadata snap = snapshot;
        if (index == snap.index()) return snap.term();
        if (index < snap.index() || index > journal.lastIndex()) {
            throw new IndexOutOfBoundsException("term(" + index + ") outside " + (snap.index() + 1) + ".." + journal.lastIndex());
        }
        return journal.term(index);
    }

    @Override public List<Entry> entries(long lo, long hi, long maxBytes) {
        if (lo < firstIndex() || hi > lastIndex() + 1 || lo >= hi) {
            throw new IndexOutOfBoundsException("entries(" + lo + "," + hi + ") outside " + firstIndex() + ".." + lastIndex());
        }
        // The core budgets by Entry.size() (payload + 24), the journal by encodedSize() (payload +
        // 25): ask the journal for a budget that surely covers what the core's rule keeps (at most
        // maxBytes / 24 + 1 entries, one byte more each), then cut by the core's rule.
        long extra = Math.min(hi - lo, maxBytes / 24 + 1);
        long budget = maxBytes > Long.MAX_VALUE - extra ? Long.MAX_VALUE : maxBytes + extra;
        List<LogRecord> recs = journal.entries(lo, hi, budget);
        List<Entry> out = new ArrayList<>(recs.size());
        long size = 0;
        for (LogRecord r : recs) {
            Entry e = toEntry(r);
            size += e.size();
            if (!out.isEmpty() && size > maxBytes) break;
            out.add(e);
        }
        return out;
    }

    // ------------------------------------------------------------------ driver writes

    /**
     * Durably replaces the hard state (fsynced before it returns, as a Ready requires) when its
     * term or vote changed. A change of the commit index alone is kept in memory only: commit is a
     * hint on restart (the core rebuilds it from the leader and the applied index), and writing the
     * file on every commit would cost three syncs per batch of writes.
     */
    public void saveHardState(io.redraft.raft.HardState hs) throws IOException {
        io.redraft.raft.HardState saved = hardState;
        if (hs.term() == saved.term() && hs.vote() == saved.vote()) {
            hardState = hs;
            return;
        }
        hardStateFile.save(new HardState(hs.term(), hs.vote(), hs.commit()));
        hardState = hs;
    }

    /**
     * Appends entries, first discarding the persisted suffix from the first of them that conflicts
     * (differs in term) with a persisted one. Not durable until {@link #sync()} or the journal's
     * fsync policy says so ({@link #whenDurable}).
     *
     * <p>One difference from MemoryRaftStorage, which discards everything from {@code ents[0]} on:
     * a batch that entirely matches persisted entries (same indexes and terms) keeps the entries
     * after it, as Raft's log matching allows. The core never hands out such a batch: a Ready's
     * entries either extend the log or start at {@code truncateFrom}, a real conflict.
     *
     * @throws IllegalStateException on an append at or below the snapshot or after a gap
     */
    public void append(List<Entry> ents) throws IOException {
        if (ents.isEmpty()) return;
        long first = ents.get(0).index();
        if (first <= snapshot.index()) throw new IllegalStateException("append below snapshot: " + first);
        if (first > lastIndex() + 1) throw new IllegalStateException("gap: append " + first + " after " + lastIndex());
        List<LogRecord> recs = new ArrayList<>(ents.size());
        for (Entry e : ents) recs.add(new LogRecord(e.index(), e.term(), typeByte(e.type()), e.data()));
        journal.append(recs);
    }

    /**
     * Replaces the whole log with a snapshot received from the leader (its data is the state
     * machine's business). Durable when it returns. snapshot.meta is written first: if the process
     * dies before the journal reset, {@link #open} sees a journal that does not hold the snapshot's
     * (index, term) and resets it then.
     */
    public void applySnapshot(SnapshotMetadata meta) throws IOException {
        snapshotFile.save(toFile(meta));
        journal.resetTo(meta.index(), meta.term());
        snapshot = meta;
    }

    /** As {@link #applySnapshot(SnapshotMetadata)}, taking a whole snapshot like MemoryRaftStorage. */
    public void applySnapshot(Snapshot s) throws IOException {
        applySnapshot(s.metadata());
    }

    /**
     * Records a locally taken snapshot and discards the log prefix it covers (the entries up to
     * {@code meta.index()}, which must be persisted). A snapshot not newer than the current one is
     * ignored. snapshot.meta is written before any segment is deleted, so a crash leaves either the
     * old snapshot with its whole log or the new one.
     */
    public void compact(SnapshotMetadata meta) throws IOException {
        if (meta.index() <= snapshot.index()) return;
        if (meta.index() > lastIndex()) throw new IllegalStateException("compact beyond last index");
        snapshotFile.save(toFile(meta));
        snapshot = meta;
        journal.compactTo(meta.index() + 1);
    }

    /** As {@link #compact(SnapshotMetadata)}; the data is the state machine's to keep. */
    public void compact(SnapshotMetadata meta, byte[] data) throws IOException {
        compact(meta);
    }

    /** Makes every entry appended so far durable; returns the durable index. */
    public long sync() throws IOException {
        return journal.sync();
    }

    /** Makes {@code index} persisted under the fsync policy on this thread ({@link RaftJournal#persist}). */
    public void persist(long index) throws IOException {
        journal.persist(index);
    }

    /** Completes once {@code index} is fsynced (see {@link RaftJournal#whenDurable}). */
    public CompletableFuture<Long> whenDurable(long index) {
        return journal.whenDurable(index);
    }

    /** Completes once {@code index} counts as persisted under the fsync policy. */
    public CompletableFuture<Long> whenPersisted(long index) {
        return journal.whenPersisted(index);
    }

    /** The underlying journal, for metrics and the fsync listener. */
    public RaftJournal journal() {
        return journal;
    }

    /** Syncs and closes the journal, then releases the directory lock. */
    @Override public void close() throws IOException {
        try {
            journal.close();
        } finally {
            lock.close();
        }
    }

    // ------------------------------------------------------------------ conversions

    private static io.redraft.raft.HardState toCore(HardState hs) {
        return new io.redraft.raft.HardState(hs.term(), hs.vote(), hs.commit());
    }

    private static SnapshotMeta toFile(SnapshotMetadata m) {
        return new SnapshotMeta(m.index(), m.term(), m.membership().encode());
    }

    static byte typeByte(Entry.Type t) {
        return switch (t) {
            case NORMAL -> TYPE_NORMAL;
            case NOOP -> TYPE_NOOP;
            case MEMBERSHIP -> TYPE_MEMBERSHIP;
        };
    }

    private Entry toEntry(LogRecord r) {
        Entry.Type t = switch (r.type()) {
            case TYPE_NORMAL -> Entry.Type.NORMAL;
            case TYPE_NOOP -> Entry.Type.NOOP;
            case TYPE_MEMBERSHIP -> Entry.Type.MEMBERSHIP;
            default -> throw new CorruptLogException(journal.directory(), r.index(), "unknown entry type " + r.type());
        };
        return new Entry(r.index(), r.term(), t, r.payload());
    }
}
