package io.redraft.raft.log;

import static io.redraft.raft.log.JournalTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Damage done to cycle files on purpose: torn tails are dropped, damaged synced data is fatal. */
@Timeout(60)
class JournalRecoveryTest {
    @TempDir
    Path dir;

    private static final JournalOptions OPTS = JournalOptions.DEFAULT.withFsync(FsyncPolicy.NO).withBlockSize(1 << 20);
    /** Record layout: index, term, type, length come before the payload (whose marker we search). */
    private static final int PAYLOAD_OFFSET = 8 + 8 + 1 + 4;

    /** 1..10 synced, 11..12 appended but never synced, then the process "dies". */
    private void syncedTenUnsyncedTwo() throws Exception {
        RaftJournal j = RaftJournal.open(dir, OPTS);
        j.append(recs(1, 10, 1));
        assertEquals(10, j.sync());
        j.append(recs(11, 12, 1));
        j.abandon();
    }

    @Test
    void tornTailWithBadChecksumIsDropped() throws Exception {
        syncedTenUnsyncedTwo();
        Located at = locate(dir, 12, 1);
        flip(at.file(), at.offset() + 20);
        try (RaftJournal j = RaftJournal.open(dir, OPTS)) {
            assertEquals(11, j.lastIndex());
            assertArrayEquals(payload(11, 1, 40), j.read(11).payload());
            // appending again continues after the torn record, in a new segment
            j.append(List.of(rec(12, 2), rec(13, 2)));
        }
        try (RaftJournal j = RaftJournal.open(dir, OPTS)) {
            assertEquals(13, j.lastIndex());
            assertEquals(2, j.term(12));
            assertArrayEquals(payload(12, 2, 40), j.read(12).payload());
        }
    }

    @Test
    void halfWrittenRecordDropsItAndEverythingAfterIt() throws Exception {
        syncedTenUnsyncedTwo();
        Located at = locate(dir, 11, 1);
        // second half of record 11 never reached the disk; record 12 after it did
        zero(at.file(), at.offset() + 10, 30 + 4);
        try (RaftJournal j = RaftJournal.open(dir, OPTS)) {
            assertEquals(10, j.lastIndex());
            assertEquals(10, j.entries(1, 11, Long.MAX_VALUE).size());
        }
    }

    @Test
    void recordLeftIncompleteByAKilledWriterIsATornTail() throws Exception {
        syncedTenUnsyncedTwo();
        Located at = locate(dir, 12, 1);
        // Chronicle marks a document being written with the top bit of its (little-endian) header
        long header = at.offset() - PAYLOAD_OFFSET - 4;
        try (var ch = java.nio.channels.FileChannel.open(at.file(), java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            var b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, header + 3);
            b.put(0, (byte) (b.get(0) | 0x80));
            b.rewind();
            ch.write(b, header + 3);
        }
        long t0 = System.nanoTime();
        try (RaftJournal j = RaftJournal.open(dir, OPTS)) {
            assertEquals(11, j.lastIndex());
            j.append(List.of(rec(12, 2)));
            j.sync();
        }
        try (RaftJournal j = RaftJournal.open(dir, OPTS)) {
            assertEquals(12, j.lastIndex());
            assertEquals(2, j.read(12).term());
        }
        assertTrue(System.nanoTime() - t0 < 8_000_000_000L, "recovery must not wait (Chronicle default: 10 s) on the stale header");
    }

    @Test
    void corruptionOfSyncedRecordIsFatalAndNamesFileAndIndex() throws Exception {
        syncedTenUnsyncedTwo();
        Located at = locate(dir, 5, 1);
        flip(at.file(), at.offset() + 3);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> RaftJournal.open(dir, OPTS));
        assertEquals(5, e.index());
        assertEquals(at.file(), e.file());
        assertTrue(e.getMessage().contains(at.file().getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("index 5"), e.getMessage());
    }

    @Test
    void corruptHeaderFieldOfSyncedRecordIsFatal() throws Exception {
        syncedTenUnsyncedTwo();
        Located at = locate(dir, 7, 1);
        flip(at.file(), at.offset() - PAYLOAD_OFFSET + 9); // inside the term
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> RaftJournal.open(dir, OPTS));
        assertEquals(7, e.index());
    }

    @Test
    void syncedRecordsThatVanishedAreFatal() throws Exception {
        syncedTenUnsyncedTwo();
        Located at = locate(dir, 8, 1);
        // zero Chronicle's document header of record 8: the queue now ends at 7
        zero(at.file(), at.offset() - PAYLOAD_OFFSET - 4, 4);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> RaftJournal.open(dir, OPTS));
        assertEquals(8, e.index());
    }

    @Test
    void unreadableFirstRecordOfASegmentIsFatalWhenSynced() throws Exception {
        try (RaftJournal j = RaftJournal.open(dir, OPTS.withSegmentMaxEntries(5))) {
            j.append(recs(1, 12, 1)); // segments 1..5, 6..10, 11..12
        }
        Located at = locate(dir, 6, 1);
        flip(at.file(), at.offset() + 2);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> RaftJournal.open(dir, OPTS));
        assertEquals(at.file(), e.file());
    }

    @Test
    void damagedFloorFileIsFatal() throws Exception {
        try (RaftJournal j = RaftJournal.open(dir, OPTS.withSegmentMaxEntries(5))) {
            j.append(recs(1, 12, 1));
            j.compactTo(7);
        }
        Path floor = dir.resolve(JournalFloor.NAME);
        byte[] b = java.nio.file.Files.readAllBytes(floor);
        b[10] ^= 1;
        java.nio.file.Files.write(floor, b);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> RaftJournal.open(dir, OPTS));
        assertEquals(floor, e.file());
    }

    @Test
    void damageInATruncatedSuffixIsIgnored() throws Exception {
        try (RaftJournal j = RaftJournal.open(dir, OPTS)) {
            j.append(recs(1, 10, 1));
            j.append(recs(6, 8, 2)); // 6..10 of term 1 are dead now
        }
        Located at = locate(dir, 9, 1);
        flip(at.file(), at.offset() + 5);
        try (RaftJournal j = RaftJournal.open(dir, OPTS)) {
            assertEquals(8, j.lastIndex());
            assertEquals(2, j.term(8));
        }
    }

    @Test
    void readsVerifyChecksumsToo() throws Exception {
        try (RaftJournal j = RaftJournal.open(dir, OPTS)) {
            j.append(recs(1, 10, 1));
            j.sync();
            Located at = locate(dir, 4, 1);
            flip(at.file(), at.offset() + 1); // visible through the mapping
            CorruptLogException e = assertThrows(CorruptLogException.class, () -> j.read(4));
            assertEquals(4, e.index());
            assertThrows(CorruptLogException.class, () -> j.entries(1, 11, Long.MAX_VALUE));
            assertEquals(5, j.read(5).index());
        }
    }
}
