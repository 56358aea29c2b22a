package io.redraft.raft.log;

import static io.redraft.raft.log.JournalTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class GroupSyncTest {
    @TempDir
    Path dir;

    @Test
    void eightThreadsShareSyncs() throws Exception {
        int threads = 8, perThread = 400;
        try (RaftJournal j = RaftJournal.open(dir, JournalOptions.DEFAULT.withFsync(FsyncPolicy.ALWAYS))) {
            Object indexLock = new Object(); // indexes are assigned by the caller, as the Raft core does
            AtomicLong completed = new AtomicLong();
            List<Thread> ts = new ArrayList<>();
            List<Throwable> errors = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    try {
                        for (int i = 0; i < perThread; i++) {
                            long idx;
                            synchronized (indexLock) {
                                idx = j.lastIndex() + 1;
                                j.append(List.of(rec(idx, 1)));
                            }
                            long durable = j.whenPersisted(idx).get(10, TimeUnit.SECONDS);
                            assertTrue(durable >= idx);
                            assertTrue(j.durableIndex() >= idx);
                            completed.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        synchronized (errors) {
                            errors.add(e);
                        }
                    }
                });
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) th.join();
            assertEquals(List.of(), errors);
            int appends = threads * perThread;
            assertEquals(appends, completed.get());
            assertEquals(appends, j.durableIndex());
            long syncs = j.syncCount();
            System.out.printf("group sync: %d appends, %d syncs (%.1f appends/sync)%n", appends, syncs, (double) appends / syncs);
            assertTrue(syncs > 0);
            assertTrue(syncs < appends / 2, "expected group commit, got " + syncs + " syncs for " + appends + " appends");
        }
    }

    @Test
    void explicitSyncCompletesWaitersAndTruncationFailsThem() throws Exception {
        try (RaftJournal j = RaftJournal.open(dir, JournalOptions.DEFAULT.withFsync(FsyncPolicy.NO))) {
            j.append(recs(1, 5, 1));
            CompletableFuture<Long> f3 = j.whenDurable(3);
            CompletableFuture<Long> f5 = j.whenDurable(5);
            assertSame(f5, j.whenDurable(5)); // one future per index
            assertFalse(f3.isDone());
            assertTrue(j.whenPersisted(5).isDone()); // policy "no": appended is persisted
            List<Long> told = new java.util.concurrent.CopyOnWriteArrayList<>();
            j.setDurableListener(told::add);
            long s0 = j.syncCount();
            assertEquals(5, j.sync());
            assertEquals(s0 + 1, j.syncCount());
            assertEquals(5, f3.get());
            assertEquals(5, f5.get());
            assertEquals(List.of(5L), told);
            assertEquals(5, j.sync()); // nothing new: no fsync
            assertEquals(s0 + 1, j.syncCount());

            j.append(recs(6, 8, 1));
            CompletableFuture<Long> f8 = j.whenDurable(8);
            j.append(List.of(rec(7, 2))); // truncates 7..8
            assertTrue(f8.isCompletedExceptionally());
            assertThrows(ExecutionException.class, f8::get);
            assertEquals(5, j.durableIndex());
            assertEquals(7, j.sync());
        }
    }

    @Test
    void truncationBelowDurableLowersIt() throws Exception {
        try (RaftJournal j = RaftJournal.open(dir, JournalOptions.DEFAULT.withFsync(FsyncPolicy.NO))) {
            j.append(recs(1, 5, 1));
            j.sync();
            j.append(List.of(rec(3, 2)));
            assertEquals(2, j.durableIndex());
            assertFalse(j.whenDurable(3).isDone());
            j.sync();
            assertEquals(3, j.durableIndex());
        }
    }

    @Test
    void everysecSyncsInTheBackground() throws Exception {
        try (RaftJournal j = RaftJournal.open(dir, JournalOptions.DEFAULT.withFsync(FsyncPolicy.EVERYSEC))) {
            j.append(recs(1, 3, 1));
            assertTrue(j.whenPersisted(3).isDone());
            assertEquals(3, j.whenDurable(3).get(5, TimeUnit.SECONDS));
        }
    }
}
