package io.redraft.durability;

import static org.junit.jupiter.api.Assertions.*;

import io.redraft.testing.ServerProcess;
import io.redraft.testing.ServerProcessReaper;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The durability promise, tested on a real process: several Jedis clients (half of them
 * pipelining) write under load, the server is killed with SIGKILL at a random moment, restarted on
 * the same directory, and must hold every write it acknowledged and nothing that was never sent. Each repetition starts from an empty
 * directory and crashes it {@value #CRASHES} times in a row, so later rounds also replay a log that
 * earlier crashes left (with whatever torn tails they left): {@value #REPETITIONS} x
 * {@value #CRASHES} kills in all.
 *
 * <p>The seed of each repetition is printed; {@code -Dcrash.seed=N} replays its choices (the
 * writers' operations and the kill moments; the interleaving is the machine's).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@ExtendWith(ServerProcessReaper.class)
class CrashRecoveryTest {
    private static final int REPETITIONS = 5;
    private static final int CRASHES = 4;
    private static final int WRITERS = 4;
    /** The kill comes this long at most after every writer has had a write acknowledged. */
    private static final int MAX_KILL_DELAY_MILLIS = 1000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @RepeatedTest(REPETITIONS)
    void everyAcknowledgedWriteSurvivesKill9(RepetitionInfo repetition) throws Exception {
        long seed = Long.getLong("crash.seed", new SecureRandom().nextLong());
        System.out.printf("CrashRecoveryTest repetition %d: seed %d (replay with -Dcrash.seed=%d)%n",
                repetition.getCurrentRepetition(), seed, seed);
        Random random = new Random(seed);
        List<WriterModel> models = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) models.add(new WriterModel(w));
        ServerProcess server = ServerProcess.startReady(dir);
        try {
            for (int round = 1; round <= CRASHES; round++) {
                String where = "seed " + seed + ", round " + round;
                long acksBefore = totalAcks(models);
                long t0 = System.nanoTime();
                runWritersAndKill(server, models, random, round, where);
                long acked = totalAcks(models) - acksBefore;
                long t1 = System.nanoTime();
                server = ServerProcess.startReady(dir);
                long t2 = System.nanoTime();
                List<String> problems = check(server, models);
                long t3 = System.nanoTime();
                System.out.printf("  round %d: %d writes acknowledged before the kill (%d ms), restart %d ms, check %d ms: %d problems%n",
                        round, acked, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, problems.size());
                assertTrue(problems.isEmpty(), where + ": after kill -9 and restart:\n  "
                        + String.join("\n  ", problems.subList(0, Math.min(20, problems.size()))) + server.describe());
            }
        } finally {
            server.close();
        }
    }

    /** Starts the writers, kills the server at a random moment once each has been acknowledged, joins them. */
    private static void runWritersAndKill(ServerProcess server, List<WriterModel> models, Random random, int round,
                                          String where) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Writer> writers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (WriterModel m : models) {
            // Half the writers pipeline: several writes of one session in flight at the kill.
            Writer w = new Writer(m, server.port(), random.nextLong(), m.id() % 2 == 1, stop, round);
            writers.add(w);
            Thread t = new Thread(w, "writer-" + m.id());
            threads.add(t);
        }
        long killDelay = random.nextInt(MAX_KILL_DELAY_MILLIS);
        long[] acksAtStart = models.stream().mapToLong(WriterModel::acks).toArray();
        threads.forEach(Thread::start);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!allAcknowledgedOnce(models, acksAtStart, writers)) {
                assertTrue(System.nanoTime() < deadline, where + ": writers got no acknowledgement" + server.describe());
                Thread.sleep(5); // polling the writers' progress
            }
            Thread.sleep(killDelay); // the random moment itself, not a synchronisation
            assertEquals(137, server.kill9(), where + ": killed by SIGKILL" + server.describe());
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
                assertFalse(t.isAlive(), where + ": " + t.getName() + " did not stop");
            }
        }
        for (Writer w : writers) {
            assertNull(w.failure(), where + ": unexpected reply before the kill" + server.describe());
        }
    }

    private static boolean allAcknowledgedOnce(List<WriterModel> models, long[] acksAtStart, List<Writer> writers) {
        for (int i = 0; i < models.size(); i++) {
            if (writers.get(i).failure() != null) return true; // reported after the kill
            if (models.get(i).acks() == acksAtStart[i]) return false;
        }
        return true;
    }

    /** Every writer's keys hold what the model allows, and no other key exists. */
    private static List<String> check(ServerProcess server, List<WriterModel> models) {
        List<String> problems = new ArrayList<>();
        try (Jedis j = server.jedis()) {
            Set<String> known = new HashSet<>();
            for (WriterModel m : models) {
                known.addAll(m.keys());
                m.checkAndResolve(j, problems);
            }
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = j.scan(cursor, new ScanParams().count(1000));
                for (String key : page.getResult()) {
                    if (!known.contains(key)) problems.add(key + " exists but no writer ever wrote it");
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        return problems;
    }

    private static long totalAcks(List<WriterModel> models) {
        return models.stream().mapToLong(WriterModel::acks).sum();
    }
}
