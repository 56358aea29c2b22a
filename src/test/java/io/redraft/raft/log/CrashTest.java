package io.redraft.raft.log;

import static io.redraft.raft.log.JournalTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends with raft-fsync always and prints every index it was told is durable; we
 * kill -9 it mid-stream and check that reopening finds every reported record intact.
 */
@Timeout(120)
class CrashTest {
    @TempDir
    Path dir;

    @Test
    void everyReportedDurableRecordSurvivesKill9() throws Exception {
        for (int round = 1; round <= 2; round++) {
            long alreadyThere;
            try (RaftJournal j = RaftJournal.open(dir, JournalOptions.DEFAULT.withFsync(FsyncPolicy.NO))) {
                alreadyThere = j.lastIndex();
            }
            Process child = ChildJvm.start(Appender.class, dir.toString(), Long.toString(round));
            long reported = 0;
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null) {
                    reported = Math.max(reported, Long.parseLong(line.trim()));
                    if (reported >= alreadyThere + 3000) break;
                }
            } finally {
                ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
                assertTrue(child.waitFor(20, TimeUnit.SECONDS));
            }
            assertTrue(reported >= alreadyThere + 3000, "child reported only " + reported);
            try (RaftJournal j = RaftJournal.open(dir, JournalOptions.DEFAULT.withFsync(FsyncPolicy.NO))) {
                assertTrue(j.lastIndex() >= reported, "lost durable records: last " + j.lastIndex() + " < " + reported);
                for (LogRecord r : j.entries(1, reported + 1, Long.MAX_VALUE)) {
                    long term = r.index() > alreadyThere ? round : j.term(r.index());
                    assertEquals(term, r.term());
                    assertArrayEquals(payload(r.index(), term, 64), r.payload());
                }
                assertEquals(reported, j.entries(1, reported + 1, Long.MAX_VALUE).size());
            }
        }
    }

    /** Child: appends batches as fast as it can and prints each durable index as it is confirmed. */
    public static final class Appender {
        public static void main(String[] args) throws Exception {
            long term = Long.parseLong(args[1]);
            RaftJournal j = RaftJournal.open(Path.of(args[0]), JournalOptions.DEFAULT.withFsync(FsyncPolicy.ALWAYS));
            List<CompletableFuture<Long>> inFlight = new ArrayList<>();
            while (true) {
                long first = j.lastIndex() + 1;
                List<LogRecord> batch = new ArrayList<>();
                for (long i = first; i < first + 16; i++) batch.add(new LogRecord(i, term, (byte) 1, payload(i, term, 64)));
                long last = j.append(batch);
                inFlight.add(j.whenDurable(last));
                while (!inFlight.isEmpty() && (inFlight.size() > 8 || inFlight.get(0).isDone())) {
                    System.out.println(inFlight.remove(0).get());
                    System.out.flush();
                }
            }
        }
    }
}
