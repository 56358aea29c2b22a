package io.redraft.store.snapshot;

import io.redraft.store.BlockedWaiters;
import io.redraft.store.Keyspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Blocked clients are replicated state, so a snapshot carries them: a node that installs it
 * serves the same waiters, in the same per-key order, as the node that wrote it.
 */
@Timeout(30)
class BlockedWaitersSnapshotTest {
    private static byte[][] a(String... s) {
        byte[][] out = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    @Test
    void waitersAndTheirQueueOrderSurviveASnapshot(@TempDir Path dir) throws Exception {
        Keyspace source = new Keyspace(16);
        BlockedWaiters w = source.waiters();
        w.add(new BlockedWaiters.Waiter(5, 0, a("k", "j"), a("BLPOP", "k", "j", "0"), 0, "run-a", 3));
        w.add(new BlockedWaiters.Waiter(9, 2, a("z"), a("BZPOPMIN", "z", "1.5"), 12_345, "run-b", 4));
        w.add(new BlockedWaiters.Waiter(11, 0, a("k"), a("BLPOP", "k", "0"), 0, "run-a", 7));
        w.rotateToTail(new BlockedWaiters.DbKey(0, "k".getBytes(StandardCharsets.UTF_8)), w.get(5));
        Path file = dir.resolve("s.rdb");
        KeyspaceSnapshotWriter writer = KeyspaceSnapshotWriter.begin(source, file, new SnapshotHeader(20, 1, null, 0));
        while (!writer.step(0)) {
            // one step at a time until written
        }
        writer.finish();

        Keyspace target = new Keyspace(16);
        target.waiters().add(new BlockedWaiters.Waiter(1, 0, a("old"), a("BLPOP", "old", "0"), 0, "x", 1));
        KeyspaceSnapshotLoader.load(file, target);
        assertEquals(w.describe(), target.waiters().describe());
        assertEquals(java.util.List.copyOf(w.all()), java.util.List.copyOf(target.waiters().all()));
    }
}
