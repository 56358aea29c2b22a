package io.redraft.raft.log;

import static org.junit.jupiter.api.Assertions.*;

import io.redraft.raft.Entry;
import io.redraft.raft.HardState;
import io.redraft.raft.Membership;
import io.redraft.raft.MemoryRaftStorage;
import io.redraft.raft.RaftConfig;
import io.redraft.raft.RaftNode;
import io.redraft.raft.Ready;
import io.redraft.raft.Snapshot;
import io.redraft.raft.SnapshotMetadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal-backed storage must answer exactly as {@link MemoryRaftStorage} does after the same
 * writes, and keep those answers across a close and reopen.
 */
@Timeout(120)
class JournalRaftStorageTest {
    @TempDir
    Path dir;

    private static final Membership THREE = Membership.ofVoters(1, 2, 3);
    /** Small segments so that compaction really deletes files. */
    private static final JournalOptions OPTS = JournalOptions.DEFAULT.withFsync(FsyncPolicy.NO)
            .withBlockSize(1 << 20).withSegmentMaxEntries(8);

    private JournalRaftStorage open() throws IOException {
        return JournalRaftStorage.open(dir, THREE, OPTS);
    }

    /** Payload determined by (index, term): an entry re-sent by a leader is byte-identical. */
    private static Entry entry(long index, long term) {
        Entry.Type type = index % 7 == 0 ? Entry.Type.NOOP : index % 11 == 0 ? Entry.Type.MEMBERSHIP : Entry.Type.NORMAL;
        byte[] data = type == Entry.Type.MEMBERSHIP ? Membership.ofVoters(1, 2, index).encode()
                : type == Entry.Type.NOOP ? new byte[0]
                : ("e" + index + "t" + term + "x".repeat((int) (index % 13) * 5)).getBytes(StandardCharsets.US_ASCII);
        return new Entry(index, term, type, data);
    }

    private static List<Entry> entries(long from, long to, long term) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) out.add(entry(i, term));
        return out;
    }

    /** Every read of the interface, over the whole valid range and a spread of byte budgets. */
    private static void assertSameAnswers(MemoryRaftStorage m, JournalRaftStorage j) {
        assertEquals(m.hardState(), j.hardState());
        assertEquals(m.snapshotMetadata(), j.snapshotMetadata());
        assertEquals(m.firstIndex(), j.firstIndex());
        assertEquals(m.lastIndex(), j.lastIndex());
        for (long i = m.firstIndex() - 1; i <= m.lastIndex(); i++) assertEquals(m.term(i), j.term(i), "term(" + i + ")");
        long[] budgets = {0, 24, 25, 60, 61, 200, 1000, Long.MAX_VALUE};
        for (long lo = m.firstIndex(); lo <= m.lastIndex(); lo++) {
            for (long hi : new long[]{lo + 1, Math.min(lo + 5, m.lastIndex() + 1), m.lastIndex() + 1}) {
                for (long b : budgets) {
                    assertEquals(m.entries(lo, hi, b), j.entries(lo, hi, b), "entries(" + lo + "," + hi + "," + b + ")");
                }
            }
        }
    }

    @Test
    void freshStorageLooksLikeAFreshMemoryStorage() throws Exception {
        MemoryRaftStorage m = new MemoryRaftStorage(THREE);
        try (JournalRaftStorage j = open()) {
            assertSameAnswers(m, j);
            assertEquals(HardState.EMPTY, j.hardState());
            assertEquals(SnapshotMetadata.initial(THREE), j.snapshotMetadata());
            assertEquals(1, j.firstIndex());
            assertEquals(0, j.lastIndex());
            assertEquals(0, j.term(0));
        }
        assertTrue(Files.exists(dir.resolve(JournalRaftStorage.LOG_DIR)));
    }

    @Test
    void everyWriteAnswersLikeMemoryAndSurvivesReopen() throws Exception {
        MemoryRaftStorage m = new MemoryRaftStorage(THREE);
        JournalRaftStorage j = open();
        try {
            m.setHardState(new HardState(1, 2, 0));
            j.saveHardState(new HardState(1, 2, 0));
            m.append(entries(1, 20, 1));
            j.append(entries(1, 20, 1));
            assertSameAnswers(m, j);

            // A conflicting suffix from a new leader.
            m.append(entries(15, 30, 2));
            j.append(entries(15, 30, 2));
            m.setHardState(new HardState(2, 3, 12));
            j.saveHardState(new HardState(2, 3, 12));
            assertSameAnswers(m, j);

            SnapshotMetadata snap = new SnapshotMetadata(17, 2, Membership.ofVoters(1, 2));
            m.compact(snap, new byte[0]);
            j.compact(snap);
            assertSameAnswers(m, j);

            j.close();
            j = open();
            assertSameAnswers(m, j);

            m.append(entries(31, 40, 3));
            j.append(entries(31, 40, 3));
            assertSameAnswers(m, j);

            Snapshot installed = new Snapshot(new SnapshotMetadata(55, 4, Membership.ofVoters(1, 2, 4)), new byte[]{1});
            m.applySnapshot(installed);
            j.applySnapshot(installed);
            assertSameAnswers(m, j);
            m.append(entries(56, 60, 4));
            j.append(entries(56, 60, 4));

            j.close();
            j = open();
            assertSameAnswers(m, j);
        } finally {
            j.close();
        }
    }

    /** Random appends (with truncations), hard states and compactions against MemoryRaftStorage. */
    @Test
    void randomisedDifferentialAgainstMemory() throws Exception {
        for (long seed = 0; seed < 4; seed++) {
            Path d = dir.resolve("seed" + seed);
            Random rnd = new Random(seed);
            MemoryRaftStorage m = new MemoryRaftStorage(THREE);
            JournalRaftStorage j = JournalRaftStorage.open(d, THREE, OPTS);
            try {
                long term = 1;
                // What the file holds: a hard state is written when its term or vote changes.
                HardState onDisk = m.hardState();
                for (int step = 0; step < 60; step++) {
                    int op = rnd.nextInt(10);
                    if (op < 6) {
                        if (rnd.nextInt(3) == 0) term++;
                        long from = m.firstIndex() + rnd.nextInt((int) (m.lastIndex() - m.firstIndex() + 2));
                        // As the core does: an append below the end is a new leader's conflicting suffix.
                        if (from <= m.lastIndex() && m.term(from) == term) term++;
                        List<Entry> ents = entries(from, from + rnd.nextInt(12), term);
                        m.append(ents);
                        j.append(ents);
                    } else if (op < 8) {
                        HardState hs = new HardState(term, rnd.nextInt(4), Math.max(0, m.lastIndex() - rnd.nextInt(3)));
                        if (hs.term() != m.hardState().term() || hs.vote() != m.hardState().vote()) onDisk = hs;
                        m.setHardState(hs);
                        j.saveHardState(hs);
                    } else if (op == 8 && m.lastIndex() >= m.firstIndex()) {
                        long at = m.firstIndex() + rnd.nextInt((int) (m.lastIndex() - m.firstIndex() + 1));
                        SnapshotMetadata snap = new SnapshotMetadata(at, m.term(at), Membership.ofVoters(1, 2, 3, at));
                        m.compact(snap, new byte[0]);
                        j.compact(snap);
                    } else {
                        j.sync();
                        j.close();
                        j = JournalRaftStorage.open(d, THREE, OPTS);
                        m.setHardState(onDisk); // a commit-only change is a hint, not saved
                    }
                    assertSameAnswers(m, j);
                }
            } finally {
                j.close();
            }
        }
    }

    @Test
    void truncationIsDurable() throws Exception {
        try (JournalRaftStorage j = open()) {
            j.append(entries(1, 10, 1));
            j.append(entries(6, 8, 2));
            assertEquals(8, j.lastIndex());
            assertEquals(1, j.term(5));
            assertEquals(2, j.term(6));
        }
        try (JournalRaftStorage j = open()) {
            assertEquals(8, j.lastIndex());
            assertEquals(entries(6, 8, 2), j.entries(6, 9, Long.MAX_VALUE));
            assertEquals(entry(5, 1), j.entries(5, 6, 0).get(0));
            // Re-sending entries already held (same index and term) changes nothing, not even
            // the entries after them (log matching; MemoryRaftStorage would drop index 8).
            j.append(entries(6, 7, 2));
            assertEquals(8, j.lastIndex());
            assertEquals(entries(6, 8, 2), j.entries(6, 9, Long.MAX_VALUE));
        }
    }

    @Test
    void compactionDeletesSegmentsButKeepsTheSnapshotTerm() throws Exception {
        try (JournalRaftStorage j = open()) {
            j.append(entries(1, 40, 1));
            j.append(entries(41, 50, 2));
            j.sync();
            int before = j.journal().segmentCount();
            SnapshotMetadata snap = new SnapshotMetadata(42, 2, Membership.ofVoters(1, 2));
            j.compact(snap);
            assertTrue(j.journal().segmentCount() < before, "segments deleted");
            assertTrue(j.journal().firstIndex() <= 43);
            assertEquals(43, j.firstIndex());
            assertEquals(2, j.term(42));
            assertEquals(snap, j.snapshotMetadata());
            // An older snapshot is ignored; one beyond the log is a bug.
            j.compact(new SnapshotMetadata(30, 1, THREE));
            assertEquals(snap, j.snapshotMetadata());
            assertThrows(IllegalStateException.class, () -> j.compact(new SnapshotMetadata(51, 2, THREE)));
            assertThrows(IllegalStateException.class, () -> j.append(entries(42, 43, 3)));
            assertThrows(IllegalStateException.class, () -> j.append(entries(52, 53, 3)));
            assertThrows(IndexOutOfBoundsException.class, () -> j.term(41));
            assertThrows(IndexOutOfBoundsException.class, () -> j.entries(42, 44, Long.MAX_VALUE));
        }
        try (JournalRaftStorage j = open()) {
            assertEquals(43, j.firstIndex());
            assertEquals(50, j.lastIndex());
            assertEquals(2, j.term(42));
            assertEquals(Membership.ofVoters(1, 2), j.snapshotMetadata().membership());
            assertEquals(entries(43, 50, 2), j.entries(43, 51, Long.MAX_VALUE));
        }
    }

    @Test
    void applySnapshotReplacesTheLog() throws Exception {
        SnapshotMetadata snap = new SnapshotMetadata(100, 5, Membership.ofVoters(1, 2, 3, 4));
        try (JournalRaftStorage j = open()) {
            j.append(entries(1, 10, 1));
            j.applySnapshot(snap);
            assertEquals(101, j.firstIndex());
            assertEquals(100, j.lastIndex());
            assertEquals(5, j.term(100));
            j.append(entries(101, 103, 5));
        }
        try (JournalRaftStorage j = open()) {
            assertEquals(snap, j.snapshotMetadata());
            assertEquals(101, j.firstIndex());
            assertEquals(103, j.lastIndex());
            assertEquals(entries(101, 103, 5), j.entries(101, 104, Long.MAX_VALUE));
        }
    }

    /** A crash after snapshot.meta was written but before the journal reset: open finishes it. */
    @Test
    void openFinishesAnInterruptedSnapshotInstall() throws Exception {
        try (JournalRaftStorage j = open()) {
            j.append(entries(1, 10, 1));
        }
        SnapshotMetadata snap = new SnapshotMetadata(100, 5, THREE);
        new SnapshotMetaFile(dir).save(new SnapshotMeta(100, 5, THREE.encode()));
        try (JournalRaftStorage j = open()) {
            assertEquals(snap, j.snapshotMetadata());
            assertEquals(101, j.firstIndex());
            assertEquals(100, j.lastIndex());
            assertEquals(5, j.term(100));
            assertEquals(100, j.journal().lastIndex());
        }
    }

    /** A snapshot.meta older than what compaction deleted is refused rather than wiping the log. */
    @Test
    void openRefusesASnapshotBelowTheJournalFloor() throws Exception {
        try (JournalRaftStorage j = open()) {
            j.append(entries(1, 40, 1));
            j.compact(new SnapshotMetadata(30, 1, THREE));
            assertTrue(j.journal().firstIndex() > 1);
        }
        Files.delete(new SnapshotMetaFile(dir).path());
        assertThrows(CorruptLogException.class, this::open);
        // Again the same error, not "in use": the failed open released the lock and the journal.
        assertThrows(CorruptLogException.class, this::open);
    }

    @Test
    void hardStateIsDurableAndConverted() throws Exception {
        try (JournalRaftStorage j = open()) {
            j.saveHardState(new HardState(7, 3, 0));
        }
        assertEquals(new io.redraft.raft.log.HardState(7, 3, 0), new HardStateFile(dir).load());
        try (JournalRaftStorage j = open()) {
            assertEquals(new HardState(7, 3, 0), j.hardState());
        }
    }

    @Test
    void theDataDirectoryIsLocked() throws Exception {
        try (JournalRaftStorage j = open()) {
            IOException e = assertThrows(IOException.class, this::open);
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
        open().close(); // released on close
    }

    @Test
    void syncMakesAppendsDurable() throws Exception {
        try (JournalRaftStorage j = open()) {
            j.append(entries(1, 5, 1));
            var f = j.whenDurable(5);
            assertEquals(5, j.sync());
            assertEquals(5L, f.get());
            assertTrue(j.whenPersisted(5).isDone());
        }
    }

    // ------------------------------------------------------------------ with the consensus core

    private static RaftConfig single() {
        return RaftConfig.builder(1).build();
    }

    /** Persists and acknowledges every Ready as a driver would; returns the entries to apply. */
    private static List<Entry> drain(RaftNode n, JournalRaftStorage s) throws IOException {
        List<Entry> applied = new ArrayList<>();
        while (n.hasReady()) {
            Ready rd = n.ready();
            if (rd.snapshot() != null) s.applySnapshot(rd.snapshot());
            s.append(rd.entries());
            if (rd.hardState() != null) s.saveHardState(rd.hardState());
            if (rd.mustSync()) s.sync();
            assertTrue(rd.messages().isEmpty(), "a single voter sends nothing");
            applied.addAll(rd.committedEntries());
            n.advance(rd);
        }
        return applied;
    }

    @Test
    void singleVoterNodeCommitsAndRecoversFromTheJournal() throws Exception {
        Membership one = Membership.ofVoters(1);
        List<Entry> applied = new ArrayList<>();
        long last;
        try (JournalRaftStorage s = JournalRaftStorage.open(dir, one, OPTS)) {
            RaftNode n = new RaftNode(single(), s);
            for (int t = 0; t < 100 && !n.isLeader(); t++) {
                n.tick();
                applied.addAll(drain(n, s));
            }
            assertTrue(n.isLeader());
            last = 0;
            for (int i = 0; i < 100; i++) {
                last = n.propose(("cmd-" + i).getBytes(StandardCharsets.UTF_8));
                if (i % 10 == 9) applied.addAll(drain(n, s));
            }
            applied.addAll(drain(n, s));
            assertEquals(last, n.commitIndex());
            assertEquals(last, s.lastIndex());
            assertEquals(last, applied.size());
            assertEquals(100, applied.stream().filter(e -> e.type() == Entry.Type.NORMAL).count());
        }
        try (JournalRaftStorage s = JournalRaftStorage.open(dir, Membership.EMPTY, OPTS)) {
            assertEquals(last, s.lastIndex());
            // Commit is saved only with a term or vote change: here, when the node voted for itself.
            assertTrue(s.hardState().commit() < last);
            assertEquals(applied, s.entries(1, last + 1, Long.MAX_VALUE));
            RaftNode n = new RaftNode(single(), s);
            assertEquals(last, n.lastIndex());
            assertEquals(one, n.membership(), "the bootstrap membership came from the first open");
            // Once it leads again (a new term), every entry is committed and handed out for replay,
            // followed by the new leader's no-op.
            long term = n.term();
            n.campaignNow();
            List<Entry> replay = drain(n, s);
            assertTrue(n.isLeader());
            assertTrue(n.term() > term);
            assertEquals(applied, replay.subList(0, applied.size()));
            assertEquals(Entry.Type.NOOP, replay.get(replay.size() - 1).type());
            long idx = n.propose("after".getBytes(StandardCharsets.UTF_8));
            drain(n, s);
            assertEquals(idx, n.commitIndex());
        }
    }
}
