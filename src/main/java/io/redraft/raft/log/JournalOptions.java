package io.redraft.raft.log;

/**
 * Tunables of a {@link RaftJournal}. A segment (one Chronicle cycle file) is rolled when it holds
 * {@code segmentMaxEntries} entries or {@code segmentMaxBytes} bytes, which bounds what compaction
 * can keep beyond a snapshot. {@code blockSize} is Chronicle's mapping chunk: the default keeps a
 * whole segment in one chunk (a reader hopping between chunks remaps them, costing ~100 us a
 * read), and Chronicle caps one entry at about a quarter of it (64 MiB by default), so raise it
 * for larger entries. Files are sparse: the chunk size costs address space, not disk.
 *
 * <p>{@code syncThread}: under {@code always}, a sync thread makes appended records durable and
 * completes {@link RaftJournal#whenPersisted} futures, batching the records of many appending
 * threads into one fsync. A single appender that waits for each of its appends anyway does
 * better without it ({@link #withAppenderSyncs()}): it calls {@link RaftJournal#persist} and
 * fsyncs on its own thread, sparing two thread hand-offs per batch.
 */
public record JournalOptions(FsyncPolicy fsync, long segmentMaxEntries, long segmentMaxBytes, long blockSize,
                             boolean syncThread) {
    public static final JournalOptions DEFAULT = new JournalOptions(FsyncPolicy.ALWAYS, 1L << 20, 128L << 20, 256L << 20, true);

    public JournalOptions {
        if (segmentMaxEntries < 1 || segmentMaxBytes < 1) throw new IllegalArgumentException("segment limits must be positive");
    }

    public JournalOptions withFsync(FsyncPolicy p) {
        return new JournalOptions(p, segmentMaxEntries, segmentMaxBytes, blockSize, syncThread);
    }

    public JournalOptions withSegmentMaxEntries(long n) {
        return new JournalOptions(fsync, n, segmentMaxBytes, blockSize, syncThread);
    }

    /**
     * Segments sized for a log compacted every {@code snapshotThreshold} entries: a quarter of it
     * (at least 4096 entries, at most the default), and at most 32 MiB, so that a snapshot lets
     * compaction delete most of what it covers. Compaction drops whole segments only, so large
     * segments would keep up to a segment's worth of covered entries on disk and mapped in memory.
     */
    public JournalOptions sizedForSnapshotsEvery(long snapshotThreshold) {
        if (snapshotThreshold <= 0) return this;
        long entries = Math.max(4096, Math.min(segmentMaxEntries, snapshotThreshold / 4));
        return new JournalOptions(fsync, entries, Math.min(segmentMaxBytes, 32L << 20), blockSize, syncThread);
    }

    public JournalOptions withBlockSize(long b) {
        return new JournalOptions(fsync, segmentMaxEntries, segmentMaxBytes, b, syncThread);
    }

    /** No sync thread: the one appender makes its records durable with {@link RaftJournal#persist}. */
    public JournalOptions withAppenderSyncs() {
        return new JournalOptions(fsync, segmentMaxEntries, segmentMaxBytes, blockSize, false);
    }
}
