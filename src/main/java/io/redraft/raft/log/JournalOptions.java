package io.redraft.raft.log;

/**
 * Tunables of a {@link RaftJournal}. A segment (one Chronicle cycle file) is rolled when it holds
 * {@code segmentMaxEntries} entries or {@code segmentMaxBytes} bytes, which bounds what compaction
 * can keep beyond a snapshot.
 */
public record JournalOptions(FsyncPolicy fsync, long segmentMaxEntries, long segmentMaxBytes, long blockSize) {
    public static final JournalOptions DEFAULT = new JournalOptions(FsyncPolicy.ALWAYS, 1L << 20, 256L << 20, 64L << 20);

    public JournalOptions {
        if (segmentMaxEntries < 1 || segmentMaxBytes < 1) throw new IllegalArgumentException("segment limits must be positive");
    }

    public JournalOptions withFsync(FsyncPolicy p) {
        return new JournalOptions(p, segmentMaxEntries, segmentMaxBytes, blockSize);
    }

    public JournalOptions withSegmentMaxEntries(long n) {
        return new JournalOptions(fsync, n, segmentMaxBytes, blockSize);
    }

    public JournalOptions withBlockSize(long b) {
        return new JournalOptions(fsync, segmentMaxEntries, segmentMaxBytes, b);
    }
}
