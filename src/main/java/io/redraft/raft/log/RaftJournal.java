package io.redraft.raft.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The durable Raft log: a Chronicle Queue in one directory, one cycle file per segment.
 *
 * <p><b>Index arithmetic.</b> A segment is a Chronicle cycle chosen by {@link SegmentClock}; the
 * record of Raft index i in a segment starting at f has queue index {@code cycle << 32 | (i - f)},
 * so a random read is one {@code moveToIndex}. The live segments (cycle, first, last) and the
 * terms of all entries ({@link TermRuns}) live in memory, so {@link #term} never reads disk.
 *
 * <p><b>Truncation.</b> Chronicle only appends. Appending at an index i ≤ lastIndex starts a new
 * segment at i; a later segment's first index ends every earlier segment there, on replay too.
 *
 * <p><b>Durability.</b> Appends land in mapped memory; {@link #sync} fsyncs the files holding
 * unsynced records (and the directory when a segment file was created) and advances
 * {@link #durableIndex}. The {@link FsyncPolicy} thread does this as group commit. Records are
 * CRC32C-checked on open ({@link JournalRecovery}) and on every read.
 *
 * <p><b>Threads.</b> All methods are thread-safe. Appends, reads and compaction serialise on this
 * object; an fsync runs outside that lock, so appends continue while a sync is in flight.
 * Durability futures complete on the sync thread (or the thread calling {@link #sync} or
 * {@link #persist}): chain heavy work with the *Async variants.
 */
public final class RaftJournal implements AutoCloseable {
    static {
        // Defensive: the launcher sets these too, but the journal must never phone home or print
        // a banner even when embedded by a caller that forgot (Chronicle reads them at class init).
        System.setProperty("chronicle.analytics.disable", System.getProperty("chronicle.analytics.disable", "true"));
        System.setProperty("chronicle.announcer.disable", System.getProperty("chronicle.announcer.disable", "true"));
    }

    private static final RollCycle ROLL_CYCLE = RollCycles.FAST_DAILY;
    /**
     * Chronicle indexes every n-th record and scans linearly from there: its default of 256 made a
     * random read ~20 us; 16 makes it a few. Still 4096^2 * 16 records per segment, far above the cap.
     */
    private static final int INDEX_SPACING = 16;
    /**
     * How long Chronicle waits on a document header marked "being written" before taking it
     * over. Only this journal writes the queue (DataDirLock, and appends serialise on the
     * journal), so such a header can only be a torn record left by a killed process: when the
     * first append after a restart rolls the cycle and closes the old file, Chronicle would
     * otherwise wait its default 10 s on it.
     */
    private static final long CHRONICLE_TIMEOUT_MS = 200;

    private final Path dir;
    private final JournalOptions options;
    private final SegmentClock clock;
    private final SingleChronicleQueue queue;
    /** Cycle/sequence arithmetic of the built queue (index = cycle << 32 | sequence). */
    private final RollCycle arithmetic;
    private final RecordCodec codec = new RecordCodec();
    private final SyncedWatermark watermark;
    private ExcerptAppender appender;
    /**
     * One tailer per segment read: a tailer that moves to another cycle unmaps and maps files
     * (~75 us a read when alternating), so each cycle keeps its own. Guarded by this.
     */
    private final Map<Integer, ExcerptTailer> readers = new HashMap<>();

    // ---- log shape, guarded by this
    private final ArrayList<Segment> segments;
    private final TermRuns terms;
    private JournalFloor floor;
    private long prevIndex;
    private long prevTerm;
    private volatile long lastIndex;
    private int nextCycle;
    private boolean needNewSegment = true;
    private volatile boolean dirDirty; // read unlocked by hasUnsynced()
    private long truncatedSinceSync = Long.MAX_VALUE;
    private volatile IOException failure;
    private volatile boolean closed;

    // ---- durability
    private final ReentrantLock syncLock = new ReentrantLock();
    private final Map<Integer, FileChannel> syncChannels = new HashMap<>(); // guarded by syncLock
    private volatile long durableIndex;
    private final ConcurrentSkipListMap<Long, CompletableFuture<Long>> waiters = new ConcurrentSkipListMap<>();
    private final AtomicLong syncCount = new AtomicLong();
    private final AtomicLong syncNanos = new AtomicLong();
    private final GroupSyncer syncer;
    private volatile LongConsumer durableListener;

    // ---- files Chronicle has mapped, so compaction deletes a file only once it is released
    private final Set<Integer> acquiredCycles = ConcurrentHashMap.newKeySet();
    private final Set<Integer> pendingDeletes = ConcurrentHashMap.newKeySet();

    private RaftJournal(Path dir, JournalOptions options) throws IOException {
        this.dir = dir;
        this.options = options;
        Files.createDirectories(dir);
        this.floor = JournalFloor.load(dir);
        this.watermark = new SyncedWatermark(dir);
        TreeSet<Integer> cycles = CycleFiles.list(dir);
        // Files below the floor are leftovers of a compaction or reset interrupted by a crash.
        for (Iterator<Integer> it = cycles.iterator(); it.hasNext(); ) {
            int c = it.next();
            if (c < floor.firstCycle()) {
                Files.deleteIfExists(CycleFiles.path(dir, c));
                it.remove();
            }
        }
        this.nextCycle = Math.max(Math.max(1, floor.firstCycle()), cycles.isEmpty() ? 1 : cycles.last() + 1);
        this.clock = new SegmentClock(ROLL_CYCLE.lengthInMillis(), nextCycle);
        SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(dir.toFile())
                .rollCycle(ROLL_CYCLE)
                .indexSpacing(INDEX_SPACING)
                .timeProvider(clock)
                .syncMode(SyncMode.SYNC)
                .timeoutMS(CHRONICLE_TIMEOUT_MS)
                .storeFileListener(new Listener());
        if (options.blockSize() > 0) builder.blockSize(options.blockSize());
        this.queue = builder.build();
        this.arithmetic = queue.rollCycle();
        try {
            JournalRecovery.Result r;
            try (ExcerptTailer scanner = newTailer()) {
                r = new JournalRecovery(dir, arithmetic, codec).recover(scanner, cycles, floor, watermark.value());
            }
            this.segments = new ArrayList<>(r.segments());
            this.terms = r.terms();
            this.prevIndex = floor.prevIndex();
            this.prevTerm = floor.prevTerm();
            this.lastIndex = r.lastIndex();
            // What survived a process crash may still sit only in the page cache: make it durable
            // now so durableIndex() means what it says from the start.
            for (Segment s : segments) fsyncFile(s.cycle);
            ChecksummedFile.fsyncDirectory(dir);
            this.durableIndex = lastIndex;
            if (watermark.value() != lastIndex) watermark.set(lastIndex, true);
        } catch (IOException | RuntimeException e) {
            closeChronicle();
            for (FileChannel ch : syncChannels.values()) ch.close();
            watermark.close();
            throw e;
        }
        this.syncer = new GroupSyncer(this, options.fsync(), !options.syncThread(), dir.getFileName().toString());
        syncer.start();
    }

    /** Opens (creating if needed) the journal in {@code dir} with default options. */
    public static RaftJournal open(Path dir) throws IOException {
        return open(dir, JournalOptions.DEFAULT);
    }

    /**
     * Opens the journal in {@code dir}, rebuilding the segment map by scanning every record.
     *
     * @throws CorruptLogException if synced records are damaged or missing
     */
    public static RaftJournal open(Path dir, JournalOptions options) throws IOException {
        return new RaftJournal(dir, options);
    }

    // ------------------------------------------------------------------ shape

    /** First index held (compacted entries below it are gone). {@code lastIndex() + 1} if empty. */
    public synchronized long firstIndex() {
        return prevIndex + 1;
    }

    public long lastIndex() {
        return lastIndex;
    }

    /**
     * Term of entry {@code index}, for {@code firstIndex() - 1 <= index <= lastIndex()}; the term
     * of {@code firstIndex() - 1} is remembered from compaction (0 for index 0). From memory.
     *
     * @throws IndexOutOfBoundsException outside that range
     */
    public synchronized long term(long index) {
        if (index == prevIndex) return prevTerm;
        checkRange(index);
        return terms.termAt(index);
    }

    /** Term of the last entry (or of firstIndex()-1 when empty). */
    public synchronized long lastTerm() {
        return term(lastIndex);
    }

    // ------------------------------------------------------------------ append

    /**
     * Appends {@code records}, whose indexes must be contiguous. The first may be
     * {@code lastIndex() + 1} or lower: leading records already present with the same term are
     * skipped (log matching), and the first one that differs truncates the log's suffix from its
     * index before being appended. Returns the new last index. Not durable until {@link #sync} or
     * the policy's sync thread says so ({@link #whenPersisted}).
     *
     * @throws IllegalArgumentException on a gap, non-contiguous records or an index below the
     *                                  compaction floor
     */
    public synchronized long append(List<LogRecord> records) throws IOException {
        checkUsable();
        int n = records.size();
        int from = 0;
        while (from < n) {
            LogRecord r = records.get(from);
            if (r.index() <= prevIndex || r.index() > lastIndex || terms.termAt(r.index()) != r.term()) break;
            from++;
        }
        if (from == n) return lastIndex;
        for (int i = from + 1; i < n; i++) {
            if (records.get(i).index() != records.get(i - 1).index() + 1) {
                throw new IllegalArgumentException("indexes not contiguous at " + records.get(i).index());
            }
        }
        long start = records.get(from).index();
        if (start > lastIndex + 1) {
            throw new IllegalArgumentException("gap: appending " + start + " after last index " + lastIndex);
        }
        if (start <= prevIndex) {
            throw new IllegalArgumentException("index " + start + " is below the compacted floor " + (prevIndex + 1));
        }
        if (start <= lastIndex) truncateSuffix(start);
        try {
            for (int i = from; i < n; i++) write(records.get(i));
        } catch (RuntimeException e) {
            failure = new IOException("append failed; journal must be reopened", e);
            throw failure;
        }
        syncer.appended();
        return lastIndex;
    }

    private void write(LogRecord r) {
        Segment cur = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (needNewSegment || cur == null || cur.count() >= options.segmentMaxEntries()
                || cur.bytes >= options.segmentMaxBytes()) {
            cur = startSegment(r.index());
        }
        int len = codec.encode(r);
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(codec.buffer(), 0, len);
        }
        long expected = arithmetic.toIndex(cur.cycle, r.index() - cur.firstIndex);
        long actual = appender.lastIndexAppended();
        if (actual != expected) {
            throw new IllegalStateException("queue index " + Long.toHexString(actual) + " for Raft index " + r.index()
                    + ", expected " + Long.toHexString(expected));
        }
        cur.lastIndex = r.index();
        cur.bytes += len;
        terms.append(r.index(), r.term());
        lastIndex = r.index();
    }

    private Segment startSegment(long firstIndex) {
        int cycle = nextCycle++;
        clock.setCycle(cycle);
        if (appender == null) {
            appender = queue.createAppender();
            appender.singleThreadedCheckDisabled(true);
        }
        Segment s = new Segment(cycle, firstIndex, firstIndex - 1);
        segments.add(s);
        needNewSegment = false;
        dirDirty = true; // the cycle file is new: its directory entry must be synced too
        return s;
    }

    private void truncateSuffix(long start) throws IOException {
        while (!segments.isEmpty() && segments.get(segments.size() - 1).firstIndex >= start) {
            closeReader(segments.remove(segments.size() - 1).cycle);
        }
        if (!segments.isEmpty()) {
            Segment last = segments.get(segments.size() - 1);
            last.lastIndex = Math.min(last.lastIndex, start - 1);
        }
        needNewSegment = true;
        terms.truncateFrom(start);
        lastIndex = start - 1;
        lowerDurable(start - 1);
        failWaitersAbove(start - 1, "truncated before it became durable");
    }

    /** The durable prefix shrinks: in memory, for an in-flight sync, and (synced) on disk. */
    private void lowerDurable(long index) throws IOException {
        truncatedSinceSync = Math.min(truncatedSinceSync, index);
        if (durableIndex > index) durableIndex = index;
        if (watermark.value() > index) watermark.set(index, true);
    }

    // ------------------------------------------------------------------ read

    /** The entry at {@code index}, CRC-checked. */
    public synchronized LogRecord read(long index) {
        checkRange(index);
        Segment s = segmentOf(index);
        long qi = arithmetic.toIndex(s.cycle, index - s.firstIndex);
        ExcerptTailer t = reader(s.cycle);
        if (!t.moveToIndex(qi)) throw missing(s, index);
        return readNext(t, s, index, qi);
    }

    /**
     * Entries {@code lo} (inclusive) to {@code hi} (exclusive), stopping before the total
     * {@link LogRecord#encodedSize()} would exceed {@code maxBytes}; at least one entry is returned
     * when {@code lo < hi}, however large.
     */
    public synchronized List<LogRecord> entries(long lo, long hi, long maxBytes) {
        if (lo >= hi) return List.of();
        checkRange(lo);
        checkRange(hi - 1);
        List<LogRecord> out = new ArrayList<>((int) Math.min(hi - lo, 1024));
        long bytes = 0;
        long index = lo;
        while (index < hi) {
            Segment s = segmentOf(index);
            long qi = arithmetic.toIndex(s.cycle, index - s.firstIndex);
            ExcerptTailer t = reader(s.cycle);
            if (!t.moveToIndex(qi)) throw missing(s, index);
            long segEnd = Math.min(hi - 1, s.lastIndex);
            for (; index <= segEnd; index++, qi++) {
                LogRecord r = readNext(t, s, index, qi);
                bytes += r.encodedSize();
                if (bytes > maxBytes && !out.isEmpty()) return out;
                out.add(r);
            }
        }
        return out;
    }

    private ExcerptTailer reader(int cycle) {
        ExcerptTailer t = readers.get(cycle);
        if (t == null) {
            t = newTailer();
            readers.put(cycle, t);
        }
        return t;
    }

    private void closeReader(int cycle) {
        ExcerptTailer t = readers.remove(cycle);
        if (t != null) t.close();
    }

    private LogRecord readNext(ExcerptTailer tailer, Segment s, long index, long qi) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent() || dc.index() != qi) throw missing(s, index);
            Bytes<?> b = dc.wire().bytes();
            int len = (int) b.readRemaining();
            b.read(codec.bufferFor(len), 0, len);
            LogRecord r = codec.decode(len);
            if (r == null || r.index() != index) {
                throw new CorruptLogException(CycleFiles.path(dir, s.cycle), index, "record fails its checksum on read");
            }
            return r;
        }
    }

    private CorruptLogException missing(Segment s, long index) {
        return new CorruptLogException(CycleFiles.path(dir, s.cycle), index, "record not found in the queue");
    }

    private Segment segmentOf(long index) {
        int lo = 0, hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).firstIndex <= index) lo = mid;
            else hi = mid - 1;
        }
        return segments.get(lo);
    }

    private void checkRange(long index) {
        if (index <= prevIndex || index > lastIndex) {
            throw new IndexOutOfBoundsException("index " + index + " outside " + (prevIndex + 1) + ".." + lastIndex);
        }
    }

    // ------------------------------------------------------------------ durability

    /** Highest index known to be on disk (fsynced). */
    public long durableIndex() {
        return durableIndex;
    }

    /** Number of fsync rounds so far (each covers every record appended before it started). */
    public long syncCount() {
        return syncCount.get();
    }

    /** Total time spent in fsync calls, in nanoseconds. */
    public long syncNanos() {
        return syncNanos.get();
    }

    public FsyncPolicy fsyncPolicy() {
        return options.fsync();
    }

    /**
     * Completes with {@code index}'s durable index once {@code index} is fsynced; completes
     * exceptionally if the entry is truncated first or a sync fails. Does not itself trigger a
     * sync: the policy's thread or a {@link #sync} call does.
     */
    public CompletableFuture<Long> whenDurable(long index) {
        long d = durableIndex;
        if (index <= d) return CompletableFuture.completedFuture(d);
        IOException f = failure;
        if (f != null) return CompletableFuture.failedFuture(f);
        if (closed) return CompletableFuture.failedFuture(new IOException("journal " + dir + " is closed"));
        CompletableFuture<Long> fut = waiters.computeIfAbsent(index, k -> new CompletableFuture<>());
        // The sync thread may have advanced durableIndex between our check and the insertion.
        if (index <= durableIndex) completeWaiters();
        return fut;
    }

    /**
     * When {@code index} counts as persisted under the configured policy: once fsynced for
     * {@code always}, at once (it is appended) for {@code everysec} and {@code no}.
     */
    public CompletableFuture<Long> whenPersisted(long index) {
        if (options.fsync() == FsyncPolicy.ALWAYS) return whenDurable(index);
        return CompletableFuture.completedFuture(index);
    }

    /**
     * Makes {@code index} persisted under the policy on the calling thread: under {@code always}
     * an fsync here if it is not yet durable (one sync covers everything appended before it);
     * nothing under the other policies. For the appender of {@link JournalOptions#withAppenderSyncs}.
     */
    public void persist(long index) throws IOException {
        if (options.fsync() == FsyncPolicy.ALWAYS && index > durableIndex) sync();
    }

    /** True when something appended is not yet durable. */
    boolean hasUnsynced() {
        return lastIndex > durableIndex || dirDirty;
    }

    /**
     * Makes every record appended before the call durable (fsync of the segment files that hold
     * unsynced records, and of the directory if a segment file was created), then completes the
     * waiters it covers. Concurrent callers queue; each round covers everything appended meanwhile.
     *
     * @return the durable index
     */
    public long sync() throws IOException {
        syncLock.lock();
        try {
            checkUsable();
            long target;
            List<Integer> cycles = new ArrayList<>(2);
            boolean syncDir;
            synchronized (this) {
                target = lastIndex;
                for (int k = segments.size() - 1; k >= 0 && segments.get(k).lastIndex > durableIndex; k--) {
                    cycles.add(segments.get(k).cycle);
                }
                syncDir = dirDirty;
                dirDirty = false;
                truncatedSinceSync = Long.MAX_VALUE;
            }
            if (cycles.isEmpty() && !syncDir) return durableIndex;
            long t0 = System.nanoTime();
            try {
                for (int c : cycles) fsyncFile(c);
                if (syncDir) ChecksummedFile.fsyncDirectory(dir);
            } catch (IOException e) {
                // After a failed fsync the page cache state is unknown: never claim durability again.
                failure = new IOException("fsync of the Raft log failed; journal must be reopened", e);
                failAllWaiters(failure);
                throw failure;
            }
            syncNanos.addAndGet(System.nanoTime() - t0);
            syncCount.incrementAndGet();
            synchronized (this) {
                long covered = Math.min(target, truncatedSinceSync);
                if (covered > durableIndex) {
                    durableIndex = covered;
                    watermark.set(covered, false);
                }
            }
            completeWaiters();
            long d = durableIndex;
            LongConsumer l = durableListener;
            if (l != null) l.accept(d);
            return d;
        } finally {
            syncLock.unlock();
        }
    }

    /**
     * Registers a callback told the new durable index after every sync round, on the sync thread
     * (or the thread calling {@link #sync}); it must be quick, e.g. hand the value to the Raft
     * driver's queue. Replaces any previous listener; null removes it.
     */
    public void setDurableListener(LongConsumer listener) {
        this.durableListener = listener;
    }

    private void fsyncFile(int cycle) throws IOException {
        FileChannel ch = syncChannels.get(cycle);
        if (ch == null) {
            ch = FileChannel.open(CycleFiles.path(dir, cycle), StandardOpenOption.READ);
            syncChannels.put(cycle, ch);
        }
        // fdatasync writes back the file's dirty pages, including those dirtied through
        // Chronicle's shared mapping, with no need to touch its (single-threaded) appender.
        ch.force(false);
    }

    private void completeWaiters() {
        long d = durableIndex;
        Map.Entry<Long, CompletableFuture<Long>> e;
        while ((e = waiters.firstEntry()) != null && e.getKey() <= d) {
            if (waiters.remove(e.getKey(), e.getValue())) e.getValue().complete(d);
        }
    }

    private void failWaitersAbove(long index, String why) {
        Map.Entry<Long, CompletableFuture<Long>> e;
        while ((e = waiters.higherEntry(index)) != null) {
            if (waiters.remove(e.getKey(), e.getValue())) {
                e.getValue().completeExceptionally(new IllegalStateException("index " + e.getKey() + " " + why));
            }
        }
    }

    private void failAllWaiters(Throwable t) {
        Map.Entry<Long, CompletableFuture<Long>> e;
        while ((e = waiters.pollFirstEntry()) != null) e.getValue().completeExceptionally(t);
    }

    // ------------------------------------------------------------------ compaction

    /**
     * Deletes the segment files whose entries all lie below {@code index} (a snapshot covers
     * them), never the segment being appended to. {@link #firstIndex()} becomes the first index of
     * the oldest kept segment, which may stay below {@code index}; the term before it is kept.
     */
    public void compactTo(long index) throws IOException {
        syncLock.lock();
        try {
            synchronized (this) {
                checkUsable();
                if (segments.isEmpty() || index <= prevIndex + 1) return;
                int k = 0;
                while (k < segments.size() - 1 && segments.get(k).lastIndex < index) k++;
                Segment keep = segments.get(k);
                if (keep.cycle == floor.firstCycle()) return;
                long newPrev = Math.max(prevIndex, keep.firstIndex - 1);
                long newPrevTerm = newPrev == prevIndex ? prevTerm : terms.termAt(newPrev);
                moveFloor(new JournalFloor(keep.cycle, newPrev, newPrevTerm));
                segments.subList(0, k).clear();
                terms.dropBefore(newPrev + 1);
            }
        } finally {
            syncLock.unlock();
        }
    }

    /**
     * Discards the whole log and restarts it after a snapshot at ({@code snapshotIndex},
     * {@code snapshotTerm}) that the log does not match (InstallSnapshot): afterwards
     * {@code firstIndex() == snapshotIndex + 1}, {@code lastIndex() == snapshotIndex} and
     * {@code term(snapshotIndex) == snapshotTerm}. Durable before it returns.
     */
    public void resetTo(long snapshotIndex, long snapshotTerm) throws IOException {
        syncLock.lock();
        try {
            synchronized (this) {
                checkUsable();
                int cycle = nextCycle; // the next segment's cycle: every file below it is dead
                lowerDurable(Math.min(snapshotIndex, lastIndex));
                moveFloor(new JournalFloor(cycle, snapshotIndex, snapshotTerm));
                segments.clear();
                terms.clear();
                needNewSegment = true;
                lastIndex = snapshotIndex;
                durableIndex = snapshotIndex;
                watermark.set(snapshotIndex, true);
                failWaitersAbove(snapshotIndex, "discarded by a snapshot reset");
            }
            completeWaiters();
        } finally {
            syncLock.unlock();
        }
    }

    /** Saves the new floor, then deletes the files below it (a crash in between is finished on open). */
    private void moveFloor(JournalFloor f) throws IOException {
        f.save(dir);
        floor = f;
        prevIndex = f.prevIndex();
        prevTerm = f.prevTerm();
        // Let go of old cycles (Chronicle reports each release to the Listener).
        for (Integer c : new ArrayList<>(readers.keySet())) {
            if (c < f.firstCycle()) closeReader(c);
        }
        // Chronicle unmaps on a background thread; wait for it so the files can go now.
        BackgroundResourceReleaser.releasePendingResources();
        for (int c : CycleFiles.list(dir)) {
            if (c >= f.firstCycle()) continue;
            FileChannel ch = syncChannels.remove(c);
            if (ch != null) ch.close();
            pendingDeletes.add(c);
            if (!acquiredCycles.contains(c)) deleteCycle(c);
        }
        queue.refreshDirectoryListing();
    }

    private void deleteCycle(int cycle) {
        if (!pendingDeletes.remove(cycle)) return;
        try {
            Files.deleteIfExists(CycleFiles.path(dir, cycle));
        } catch (IOException e) {
            // Harmless: a file below the floor is deleted again on the next open.
        }
    }

    private final class Listener implements StoreFileListener {
        @Override
        public void onAcquired(int cycle, java.io.File file) {
            acquiredCycles.add(cycle);
        }

        @Override
        public void onReleased(int cycle, java.io.File file) {
            acquiredCycles.remove(cycle);
            if (pendingDeletes.contains(cycle)) deleteCycle(cycle);
        }
    }

    // ------------------------------------------------------------------ lifecycle

    public Path directory() {
        return dir;
    }

    /** Number of live segments (cycle files holding live entries). */
    public synchronized int segmentCount() {
        return segments.size();
    }

    private ExcerptTailer newTailer() {
        ExcerptTailer t = queue.createTailer();
        t.singleThreadedCheckDisabled(true);
        return t;
    }

    private void checkUsable() throws IOException {
        if (closed) throw new IOException("journal " + dir + " is closed");
        if (failure != null) throw failure;
    }

    /** Stops the sync thread, syncs what was appended, and closes the files. */
    @Override
    public void close() throws IOException {
        close(true);
    }

    /** Closes without a final sync, as a crash would leave things (for tests). */
    void abandon() throws IOException {
        close(false);
    }

    private void close(boolean syncFirst) throws IOException {
        if (closed) return;
        syncer.stop();
        IOException err = null;
        if (syncFirst && failure == null) {
            try {
                sync();
            } catch (IOException e) {
                err = e;
            }
        }
        syncLock.lock();
        try {
            synchronized (this) {
                closed = true;
                failAllWaiters(new IOException("journal closed"));
                closeChronicle();
                for (FileChannel ch : syncChannels.values()) ch.close();
                syncChannels.clear();
                watermark.close();
            }
        } finally {
            syncLock.unlock();
        }
        if (err != null) throw err;
    }

    private void closeChronicle() {
        for (ExcerptTailer t : readers.values()) t.close();
        readers.clear();
        if (appender != null) appender.close();
        queue.close();
    }
}
