package io.redraft.raft.log;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Microbenchmark (not a test): appends/s with raft-fsync always under N threads, each appending one
 * entry and waiting until it is durable (as N concurrent clients of a leader would); plus unsynced
 * append rate and random read latency. Usage: {@code JournalBench [seconds] [payloadBytes] [threads...]}
 */
public final class JournalBench {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int payload = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        List<Integer> threadCounts = new ArrayList<>();
        for (int i = 2; i < args.length; i++) threadCounts.add(Integer.parseInt(args[i]));
        if (threadCounts.isEmpty()) threadCounts = List.of(1, 8, 64);
        for (int n : threadCounts) groupSync(n, seconds, payload);
        unsyncedAndReads(seconds, payload);
    }

    private static void groupSync(int threads, int seconds, int payload) throws Exception {
        Path dir = Files.createTempDirectory("journal-bench");
        try (RaftJournal j = RaftJournal.open(dir, JournalOptions.DEFAULT.withFsync(FsyncPolicy.ALWAYS))) {
            Object indexLock = new Object();
            byte[] data = new byte[payload];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            AtomicLong done = new AtomicLong();
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    try {
                        while (System.nanoTime() < deadline) {
                            long idx;
                            synchronized (indexLock) {
                                idx = j.lastIndex() + 1;
                                j.append(List.of(new LogRecord(idx, 1, (byte) 1, data)));
                            }
                            j.whenPersisted(idx).get();
                            done.incrementAndGet();
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                ts.add(th);
                th.start();
            }
            long start = System.nanoTime();
            for (Thread th : ts) th.join();
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("always, %3d threads: %,9.0f durable appends/s, %,7d syncs, %5.1f appends/sync, %6.3f ms/sync, %6.3f ms in fsync%n",
                    threads, done.get() / secs, j.syncCount(), (double) done.get() / j.syncCount(),
                    secs * 1000 / j.syncCount(), j.syncNanos() / 1e6 / j.syncCount());
        } finally {
            deleteTree(dir);
        }
    }

    private static final JournalOptions UNSYNCED = JournalOptions.DEFAULT.withFsync(FsyncPolicy.NO)
            .withBlockSize(Long.getLong("bench.blockSize", JournalOptions.DEFAULT.blockSize()));

    private static void unsyncedAndReads(int seconds, int payload) throws Exception {
        Path dir = Files.createTempDirectory("journal-bench");
        System.out.printf("block size %d MiB%n", UNSYNCED.blockSize() >> 20);
        try (RaftJournal j = RaftJournal.open(dir, UNSYNCED)) {
            byte[] data = new byte[payload];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long start = System.nanoTime();
            List<LogRecord> batch = new ArrayList<>(64);
            while (System.nanoTime() < deadline) {
                batch.clear();
                long first = j.lastIndex() + 1;
                for (int i = 0; i < 64; i++) batch.add(new LogRecord(first + i, 1, (byte) 1, data));
                j.append(batch);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            long n = j.lastIndex();
            System.out.printf("no fsync, 1 thread, batches of 64: %,.0f appends/s%n", n / secs);
            long t0 = System.nanoTime();
            j.sync();
            System.out.printf("sync of %,d records (%,d MB): %.1f ms%n", n, n * (payload + LogRecord.OVERHEAD) >> 20,
                    (System.nanoTime() - t0) / 1e6);
            int reads = 200_000;
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            long r0 = System.nanoTime();
            for (int i = 0; i < reads; i++) j.read(1 + rnd.nextLong(n));
            System.out.printf("random read, whole log (%d segments): %.2f us%n", j.segmentCount(),
                    (System.nanoTime() - r0) / 1e3 / reads);
            long tailFrom = Math.max(1, n - 100_000);
            r0 = System.nanoTime();
            for (int i = 0; i < reads; i++) j.read(tailFrom + rnd.nextLong(n - tailFrom + 1));
            System.out.printf("random read, last 100k entries: %.2f us%n", (System.nanoTime() - r0) / 1e3 / reads);
            r0 = System.nanoTime();
            for (int i = 0; i < reads; i++) j.term(1 + rnd.nextLong(n));
            System.out.printf("term(i): %.3f us%n", (System.nanoTime() - r0) / 1e3 / reads);
            r0 = System.nanoTime();
            long got = 0;
            for (long lo = 1; lo <= n; ) {
                List<LogRecord> es = j.entries(lo, n + 1, 1 << 20);
                got += es.size();
                lo += es.size();
            }
            System.out.printf("sequential entries(lo, hi, 1 MiB): %,.0f entries/s%n", got / ((System.nanoTime() - r0) / 1e9));
        } finally {
            deleteTree(dir);
        }
        long t0 = System.nanoTime();
        dir = Files.createTempDirectory("journal-bench");
        try (RaftJournal j = RaftJournal.open(dir, UNSYNCED)) {
            byte[] data = new byte[payload];
            List<LogRecord> batch = new ArrayList<>();
            for (long i = 1; i <= 1_000_000; i++) {
                batch.add(new LogRecord(i, 1, (byte) 1, data));
                if (batch.size() == 1000) {
                    j.append(batch);
                    batch.clear();
                }
            }
        }
        t0 = System.nanoTime();
        try (RaftJournal j = RaftJournal.open(dir, UNSYNCED)) {
            System.out.printf("reopen (scan + CRC) of %,d records: %.0f ms%n", j.lastIndex(), (System.nanoTime() - t0) / 1e6);
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) Files.deleteIfExists(p);
        }
    }
}
