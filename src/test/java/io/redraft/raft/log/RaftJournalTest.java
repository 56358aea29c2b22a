package io.redraft.raft.log;

import static io.redraft.raft.log.JournalTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RaftJournalTest {
    @TempDir
    Path dir;

    private static final JournalOptions SMALL = JournalOptions.DEFAULT.withFsync(FsyncPolicy.NO).withBlockSize(1 << 20);

    @Test
    void appendReadTermEntries() throws Exception {
        try (RaftJournal j = RaftJournal.open(dir, SMALL)) {
            assertEquals(1, j.firstIndex());
            assertEquals(0, j.lastIndex());
            assertEquals(0, j.term(0));
            j.append(recs(1, 5, 1));
            j.append(recs(6, 10, 2));
            assertEquals(10, j.lastIndex());
            assertEquals(1, j.term(5));
            assertEquals(2, j.term(6));
            assertEquals(2, j.lastTerm());
            LogRecord r = j.read(7);
            assertEquals(7, r.index());
            assertEquals(2, r.term());
            assertArrayEquals(payload(7, 2, 40), r.payload());
            assertEquals(5, j.entries(3, 8, Long.MAX_VALUE).size());
            // maxBytes: each record is 40 + overhead bytes; two fit in 2.5 records' worth
            int size = rec(1, 1).encodedSize();
            List<LogRecord> two = j.entries(1, 11, size * 2 + size / 2);
            assertEquals(List.of(1L, 2L), two.stream().map(LogRecord::index).toList());
            // at least one entry even if larger than the budget
            assertEquals(1, j.entries(4, 11, 1).size());
            assertThrows(IndexOutOfBoundsException.class, () -> j.read(11));
            assertThrows(IndexOutOfBoundsException.class, () -> j.term(11));
            assertThrows(IllegalArgumentException.class, () -> j.append(recs(12, 12, 2)));
        }
    }

    @Test
    void entriesCrossSegments() throws Exception {
        try (RaftJournal j = RaftJournal.open(dir, SMALL.withSegmentMaxEntries(4))) {
            j.append(recs(1, 10, 1));
            assertEquals(3, j.segmentCount());
            List<LogRecord> all = j.entries(1, 11, Long.MAX_VALUE);
            for (int i = 0; i < 10; i++) assertEquals(i + 1, all.get(i).index());
            assertEquals(9, j.read(9).index());
        }
        try (RaftJournal j = RaftJournal.open(dir, SMALL.withSegmentMaxEntries(4))) {
            assertEquals(10, j.lastIndex());
            assertEquals(3, j.segmentCount());
            assertEquals(10, j.entries(1, 11, Long.MAX_VALUE).size());
            j.append(recs(11, 12, 3));
            assertEquals(3, j.term(12));
        }
    }

    @Test
    void truncationStartsNewSegmentAndWinsOnReplay() throws Exception {
        try (RaftJournal j = RaftJournal.open(dir, SMALL)) {
            j.append(recs(1, 10, 1));
            // same index+term prefix is skipped, the conflict at 6 truncates 6..10
            j.append(List.of(rec(5, 1), rec(6, 2), rec(7, 2)));
            assertEquals(7, j.lastIndex());
            assertEquals(2, j.segmentCount());
            assertEquals(2, j.term(6));
            assertEquals(1, j.term(5));
            assertArrayEquals(payload(6, 2, 40), j.read(6).payload());
            // truncate again, below the second segment's start
            j.append(List.of(rec(3, 3)));
            assertEquals(3, j.lastIndex());
            assertEquals(2, j.segmentCount());
        }
        try (RaftJournal j = RaftJournal.open(dir, SMALL)) {
            assertEquals(3, j.lastIndex());
            assertEquals(1, j.term(2));
            assertEquals(3, j.term(3));
            assertArrayEquals(payload(3, 3, 40), j.read(3).payload());
            assertArrayEquals(payload(2, 1, 40), j.read(2).payload());
            j.append(recs(4, 6, 3));
        }
        try (RaftJournal j = RaftJournal.open(dir, SMALL)) {
            assertEquals(6, j.lastIndex());
            assertEquals(List.of(1L, 1L, 3L, 3L, 3L, 3L), j.entries(1, 7, Long.MAX_VALUE).stream().map(LogRecord::term).toList());
        }
    }

    @Test
    void restartRebuildsFromScan() throws Exception {
        try (RaftJournal j = RaftJournal.open(dir, SMALL.withSegmentMaxEntries(100))) {
            for (long i = 1; i <= 1000; i += 10) j.append(recs(i, i + 9, 1 + i / 300));
        }
        try (RaftJournal j = RaftJournal.open(dir, SMALL)) {
            assertEquals(1, j.firstIndex());
            assertEquals(1000, j.lastIndex());
            assertEquals(1000, j.durableIndex());
            for (long i = 1; i <= 1000; i += 37) {
                assertEquals(1 + (i - (i - 1) % 10) / 300, j.term(i));
                assertArrayEquals(payload(i, j.term(i), 40), j.read(i).payload());
            }
        }
    }

    @Test
    void compactionDeletesWholeSegments() throws Exception {
        JournalOptions o = SMALL.withSegmentMaxEntries(10);
        try (RaftJournal j = RaftJournal.open(dir, o)) {
            j.append(recs(1, 15, 1));
            j.append(recs(16, 35, 2));
            long files = countCq4();
            assertEquals(4, files);
            j.compactTo(25); // segments 1..10 and 11..20 are wholly below 25
            assertEquals(21, j.firstIndex());
            assertEquals(2, j.term(20));
            assertThrows(IndexOutOfBoundsException.class, () -> j.read(20));
            assertEquals(21, j.read(21).index());
            awaitCq4(2); // deleted once Chronicle reports them released
            j.append(recs(36, 40, 3));
        }
        try (RaftJournal j = RaftJournal.open(dir, o)) {
            assertEquals(21, j.firstIndex());
            assertEquals(40, j.lastIndex());
            assertEquals(2, j.term(20));
            assertEquals(3, j.term(40));
            assertEquals(20, j.entries(21, 41, Long.MAX_VALUE).size());
        }
    }

    @Test
    void compactionDropsDeadSegmentsAndFinishesInterruptedDeletesOnOpen() throws Exception {
        JournalOptions o = SMALL.withSegmentMaxEntries(5);
        try (RaftJournal j = RaftJournal.open(dir, o)) {
            j.append(recs(1, 12, 1)); // segments 1..5, 6..10, 11..12
            j.append(List.of(rec(8, 2), rec(9, 2))); // new segment 8..9; 8..12 of term 1 are dead
            assertEquals(4, countCq4());
            j.compactTo(9);
            assertEquals(8, j.firstIndex());
            assertEquals(1, j.term(7));
            awaitCq4(1);
        }
        // a file below the floor, as a crash between saving the floor and deleting would leave
        Files.copy(CycleFiles.path(dir, CycleFiles.list(dir).first()), CycleFiles.path(dir, 0));
        try (RaftJournal j = RaftJournal.open(dir, o)) {
            assertEquals(8, j.firstIndex());
            assertEquals(9, j.lastIndex());
            assertEquals(1, j.term(7));
            assertEquals(2, j.read(9).term());
            assertFalse(Files.exists(CycleFiles.path(dir, 0)));
        }
    }

    @Test
    void resetToSnapshotDiscardsLog() throws Exception {
        try (RaftJournal j = RaftJournal.open(dir, SMALL)) {
            j.append(recs(1, 20, 1));
            j.resetTo(50, 4);
            assertEquals(51, j.firstIndex());
            assertEquals(50, j.lastIndex());
            assertEquals(4, j.term(50));
            assertThrows(IllegalArgumentException.class, () -> j.append(recs(50, 50, 4)));
        }
        try (RaftJournal j = RaftJournal.open(dir, SMALL)) {
            assertEquals(51, j.firstIndex());
            assertEquals(50, j.lastIndex());
            assertEquals(4, j.term(50));
            j.append(recs(51, 52, 5));
        }
        try (RaftJournal j = RaftJournal.open(dir, SMALL)) {
            assertEquals(52, j.lastIndex());
            assertEquals(5, j.read(52).term());
            assertEquals(1, countCq4());
        }
    }

    private void awaitCq4(long expected) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (countCq4() != expected && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(expected, countCq4());
    }

    private long countCq4() throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }
}
