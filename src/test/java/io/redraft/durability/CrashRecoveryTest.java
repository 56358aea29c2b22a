package io.redraft.durability;

import static org.junit.jupiter.api.Assertions.*;

import io.redraft.testing.ServerProcess;
import io.redraft.testing.ServerProcessReaper;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise, tested on a real process: several Jedis clients (half of them
 * pipelining) write under load, the server is killed with SIGKILL at a random moment, restarted on
 * the same directory, and must hold every write it acknowledged and nothing that was never sent.
 * Each repetition starts from an empty directory and crashes it {@value #CRASHES} times in a row,
 * so later rounds also replay a log that earlier crashes left (with whatever torn tails they left):
 * {@value #REPETITIONS} x {@value #CRASHES} kills in all.
 *
 * <p>The seed of each repetition is printed; {@code -Dcrash.seed=N} replays its choices (the
 * writers' operations and the kill moments; the interleaving is the machine's). A failed
 * repetition keeps its data directory and the servers' logs (target/server-logs).
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
        System.out.printf("CrashRecoveryTest repetition %d: seed %d (replay with -Dcrash.seed=%d), dir %s%n",
                repetition.getCurrentRepetition(), seed, seed, dir);
        Random random = new Random(seed);
        List<WriterModel> models = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) models.add(new WriterModel(w));
        ServerProcess server = ServerProcess.startReady(dir);
        try {
            for (int round = 1; round <= CRASHES; round++) {
                String where = "seed " + seed + ", round " + round;
                long killDelay = random.nextInt(MAX_KILL_DELAY_MILLIS);
                long acked;
                try (WriteLoad load = WriteLoad.start(server, models, random, round)) {
                    load.awaitEveryWriterAcknowledged(where);
                    Thread.sleep(killDelay); // the random moment itself, not a synchronisation
                    assertEquals(137, server.kill9(), where + ": killed by SIGKILL" + server.describe());
                    load.finish(where);
                    acked = load.acknowledged();
                }
                long restartStart = System.nanoTime();
                server = ServerProcess.startReady(dir);
                long restartMillis = (System.nanoTime() - restartStart) / 1_000_000;
                List<String> problems = WriteLoad.check(server, models);
                System.out.printf("  round %d: killed %d ms after the first acknowledgements, %d writes acknowledged,"
                        + " restart %d ms, %d problems%n", round, killDelay, acked, restartMillis, problems.size());
                assertTrue(problems.isEmpty(), where + ": after kill -9 and restart:"
                        + WriteLoad.describe(problems) + server.describe());
            }
        } finally {
            server.close();
        }
    }
}
