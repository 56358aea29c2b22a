package io.redraft.raft.net;

import io.redraft.raft.Entry;
import io.redraft.raft.Membership;
import io.redraft.raft.Message;
import io.redraft.raft.MessageType;
import io.redraft.raft.Snapshot;
import io.redraft.raft.SnapshotMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Test helpers: random Raft messages and field-by-field comparison (Message has no equals). */
final class Messages {
    private Messages() { }

    static Message random(Random rnd, MessageType type, long from, long to) {
        Message.Builder b = Message.builder(type, from, to, anyLong(rnd))
                .logTerm(anyLong(rnd)).index(anyLong(rnd)).commit(anyLong(rnd)).rejectHint(anyLong(rnd))
                .context(anyLong(rnd)).reject(rnd.nextBoolean()).force(rnd.nextBoolean());
        int n = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(20);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] data = new byte[rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(300)];
            rnd.nextBytes(data);
            entries.add(new Entry(anyLong(rnd), anyLong(rnd), Entry.Type.values()[rnd.nextInt(Entry.Type.values().length)], data));
        }
        b.entries(entries);
        if (type == MessageType.SNAPSHOT) {
            byte[] data = new byte[rnd.nextInt(2000)];
            rnd.nextBytes(data);
            b.snapshot(new Snapshot(new SnapshotMetadata(anyLong(rnd), anyLong(rnd), randomMembership(rnd)), data));
        }
        return b.build();
    }

    /** Small, large and negative values, so every varint length is exercised. */
    static long anyLong(Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(128);
            case 1 -> rnd.nextInt(1 << 20);
            case 2 -> rnd.nextLong() >>> rnd.nextInt(64);
            default -> rnd.nextLong();
        };
    }

    static Membership randomMembership(Random rnd) {
        Set<Long> voters = new TreeSet<>(), learners = new TreeSet<>();
        for (int i = rnd.nextInt(6); i > 0; i--) voters.add(1 + (long) rnd.nextInt(1000));
        for (int i = rnd.nextInt(3); i > 0; i--) learners.add(1000 + (long) rnd.nextInt(1000));
        return new Membership(voters, learners);
    }

    static void assertSame(Message expected, Message actual) {
        assertEquals(expected.type, actual.type);
        assertEquals(expected.from, actual.from);
        assertEquals(expected.to, actual.to);
        assertEquals(expected.term, actual.term);
        assertEquals(expected.logTerm, actual.logTerm);
        assertEquals(expected.index, actual.index);
        assertEquals(expected.commit, actual.commit);
        assertEquals(expected.reject, actual.reject);
        assertEquals(expected.rejectHint, actual.rejectHint);
        assertEquals(expected.context, actual.context);
        assertEquals(expected.force, actual.force);
        assertEquals(expected.entries, actual.entries);
        if (expected.snapshot == null) {
            assertNull(actual.snapshot);
        } else {
            assertEquals(expected.snapshot.metadata(), actual.snapshot.metadata());
            assertArrayEquals(expected.snapshot.data(), actual.snapshot.data());
        }
    }
}
