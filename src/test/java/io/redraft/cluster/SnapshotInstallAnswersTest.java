package io.redraft.cluster;

import io.redraft.raft.Membership;
import io.redraft.raft.Message;
import io.redraft.raft.MessageType;
import io.redraft.raft.Snapshot;
import io.redraft.raft.SnapshotMetadata;
import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A follower installing a leader's snapshot: its raft thread waits for the keyspace thread to load
 * it, while the keyspace thread, busy before it gets there, may itself wait for the raft thread
 * (a threshold snapshot asking for its metadata, RAFT.INFO). Found by the Jepsen soak (seed 2002):
 * each such call stalled both threads for its whole timeout (10 s per applied batch), and a
 * rejoined node fell minutes behind. The raft thread now answers those calls while it waits.
 */
@Timeout(60)
class SnapshotInstallAnswersTest {
    @TempDir
    Path dir;

    @Test
    void theRaftThreadAnswersTheKeyspaceThreadWhileWaitingForItToInstallASnapshot() throws Exception {
        try (TestServer source = TestServer.startIn(dir.resolve("source"));
             TestServer node = TestServer.startIn(dir.resolve("node"))) {
            // The snapshot to install: another single node's, at an index this node has not reached.
            try (Jedis j = source.jedis()) {
                for (int i = 0; i < 50; i++) {
                    j.set("k" + i, "v" + i);
                }
                j.save();
            }
            RaftStatus saved = source.server().context().raft().status();
            byte[] data = Files.readAllBytes(dir.resolve("source").resolve("dump.rdb"));
            Message install = Message.builder(MessageType.SNAPSHOT, 2, 1, saved.term() + 5)
                    .snapshot(new Snapshot(new SnapshotMetadata(saved.snapshotIndex(), saved.term(),
                            Membership.ofVoters(1)), data)).build();

            CommandExecutor executor = node.server().context().executor();
            RaftDriver raft = node.server().context().raft();
            CountDownLatch release = new CountDownLatch(1);
            // The keyspace thread is busy (held here) when the snapshot arrives, then asks the raft thread.
            Future<Long> asked = executor.thread().submit(() -> {
                release.await();
                long t0 = System.nanoTime();
                raft.status();
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            });
            raft.onMessage(install);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!raftThreadInstalling()) {
                assertTrue(System.nanoTime() < deadline, "the raft thread never began installing the snapshot");
                Thread.sleep(10);
            }
            release.countDown();
            long millis = asked.get(30, TimeUnit.SECONDS); // before the fix: the status call timed out after 5 s
            assertTrue(millis < 3_000, "RAFT status took " + millis + " ms");

            while (true) {
                try (Jedis j = node.jedis()) {
                    if ("v49".equals(j.get("k49"))) {
                        break;
                    }
                } catch (RuntimeException notYet) {
                    // the node is between roles after the install
                }
                assertTrue(System.nanoTime() < deadline, "the snapshot was never installed");
                Thread.sleep(20);
            }
        }
    }

    private static boolean raftThreadInstalling() {
        return Thread.getAllStackTraces().values().stream().anyMatch(stack -> Arrays.stream(stack)
                .anyMatch(f -> f.getClassName().equals(RaftDriver.class.getName()) && f.getMethodName().equals("installSnapshot")));
    }
}
