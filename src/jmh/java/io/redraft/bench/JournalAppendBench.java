package io.redraft.bench;

import io.redraft.raft.log.FsyncPolicy;
import io.redraft.raft.log.JournalOptions;
import io.redraft.raft.log.LogRecord;
import io.redraft.raft.log.RaftJournal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The log's write path as a leader drives it with raft-fsync always: append a batch of entries
 * (the writes that arrived since the last append) and sync them with one fsync. Score = batches
 * per second; multiply by {@code batch} for entries per second. {@code appendOnly} isolates the
 * append (no fsync; the journal still syncs on close).
 *
 * <p>The journal lives in a fresh directory under java.io.tmpdir per trial: run it on the disk you
 * care about ({@code -Djava.io.tmpdir=...} in jvmArgsAppend) — on tmpfs an fsync is free.
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JournalAppendBench {
    /** Entries per append (≈ clients × pipeline depth a leader batches). */
    @Param({"1", "16", "256"})
    public int batch;
    /** Bytes per entry payload (a SET of a short key and a 3-byte value encodes to about 40). */
    @Param({"40", "150"})
    public int payload;

    private Path dir;
    private RaftJournal journal;
    private List<LogRecord> records;
    private byte[] data;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("jmh-journal");
        journal = RaftJournal.open(dir, JournalOptions.DEFAULT.withFsync(FsyncPolicy.NO));
        data = new byte[payload];
        records = new ArrayList<>(batch);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        journal.close();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private long appendBatch() throws IOException {
        records.clear();
        long first = journal.lastIndex() + 1;
        for (int i = 0; i < batch; i++) {
            records.add(new LogRecord(first + i, 1, (byte) 1, data));
        }
        return journal.append(records);
    }

    @Benchmark
    public long appendAndSync() throws IOException {
        appendBatch();
        return journal.sync();
    }

    @Benchmark
    public long appendOnly() throws IOException {
        return appendBatch();
    }
}
