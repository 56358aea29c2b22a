package io.redraft.cluster;

import io.redraft.testing.FreePorts;
import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A cluster node restarted from its snapshot holds the snapshot's index as applied before any
 * entry arrives. Found by the Jepsen soak: a node restarted while the group had no leader said
 * {@code raft_applied_index:0} and refused BGSAVE ("cannot describe a snapshot at index 0").
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RestartFromSnapshotTest {
    @TempDir
    Path dir;

    @Test
    void aNodeRestartedWithoutALeaderStartsFromItsSnapshotsIndex() throws IOException {
        StringBuilder peers = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            peers.append(i == 1 ? "" : ",").append(i).append("@127.0.0.1:").append(FreePorts.pick());
        }
        TestServer[] nodes = new TestServer[3];
        long saved;
        try {
            for (int i = 0; i < 3; i++) {
                nodes[i] = start(i, peers.toString());
            }
            try (Jedis j = nodes[0].jedis()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (true) { // the first election and the address book take a moment
                    try {
                        j.set("k0", "v0");
                        break;
                    } catch (RuntimeException notYet) {
                        assertTrue(System.nanoTime() < deadline, "no leader: " + notYet);
                    }
                }
                for (int i = 1; i < 20; i++) {
                    j.set("k" + i, "v" + i);
                }
                j.get("k19"); // a linearizable read: node 1 has applied every write
                assertEquals("OK", j.save());
                saved = field(raftInfo(j), "raft_snapshot_index");
                assertTrue(saved >= 20, "snapshot index " + saved);
            }
        } finally {
            for (TestServer n : nodes) {
                if (n != null) {
                    n.close();
                }
            }
        }
        try (TestServer alone = start(0, peers.toString()); Jedis j = alone.jedis()) {
            assertEquals(saved, field(raftInfo(j), "raft_applied_index"), "no leader, so nothing applied since the snapshot");
            assertEquals("Background saving started", j.bgsave());
        }
    }

    private TestServer start(int i, String peers) {
        return TestServer.startIn(dir.resolve("node-" + (i + 1)), "raft-node-id", Integer.toString(i + 1),
                "raft-peers", peers, "raft-tick-ms", "50");
    }

    private static String raftInfo(Jedis j) {
        return new String((byte[]) j.sendCommand(() -> "RAFT.INFO".getBytes()));
    }

    private static long field(String info, String name) {
        Matcher m = Pattern.compile(name + ":(\\d+)").matcher(info);
        assertTrue(m.find(), name + " in " + info);
        return Long.parseLong(m.group(1));
    }
}
