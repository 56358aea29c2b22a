package io.redraft.jepsen;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import io.redraft.testing.ServerProcessReaper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jepsen-style runs of a real cluster (separate JVMs; 3 nodes, or 5 with -Djepsen.nodes=5) under
 * kill -9, SIGSTOP pauses, network partitions, leadership transfers, membership changes (remove,
 * wipe, rejoin) and forced snapshots, checked for linearizable registers, intact and serializable
 * list-append transactions, and converged nodes. See the package documentation.
 *
 * <p>CI runs a bounded set: 5 runs of 30 s with every fault (about 4 minutes on a 2-core machine).
 * The long soak and replays are chosen with system properties:
 * <pre>
 *   mvn -o test -Dtest=JepsenTest -Djepsen.seed=1000 -Djepsen.runs=100 -Djepsen.seconds=30   # soak
 *   mvn -o test -Dtest=JepsenTest -Djepsen.seed=1234                        # replay one seed's schedule
 *   mvn -o test -Dtest=JepsenTest -Djepsen.nodes=5 -Djepsen.seed=5000 -Djepsen.runs=10     # 5 nodes
 *   -Djepsen.faults=KILL,PAUSE,TRANSFER,PARTITION,MEMBERSHIP,SNAPSHOT  -Djepsen.clients=6
 * </pre>
 * A failing run prints its seed and saves history, schedule and node logs under target/jepsen/SEED/.
 */
@ExtendWith(ServerProcessReaper.class)
@Timeout(value = 12, unit = TimeUnit.HOURS) // each run has its own bound below; this only covers a long soak
class JepsenTest {
    private static final String SEED = System.getProperty("jepsen.seed", "");
    /** Three runs by default; one when replaying a seed (unless jepsen.runs says more: seed, seed+1, ...). */
    private static final int RUNS = Integer.getInteger("jepsen.runs", SEED.isEmpty() ? 5 : 1);
    private static final int SECONDS = Integer.getInteger("jepsen.seconds", 30);
    private static final int NODES = Integer.getInteger("jepsen.nodes", 3);
    private static final int CLIENTS = Integer.getInteger("jepsen.clients", 6);
    private static final String FAULTS = System.getProperty("jepsen.faults",
            "KILL,PAUSE,TRANSFER,PARTITION,MEMBERSHIP,SNAPSHOT");

    @TempDir
    Path tmp;

    @Test
    void clusterStaysLinearizableAndLosesNothingUnderFaults() throws Exception {
        List<Nemesis.Fault> faults = Arrays.stream(FAULTS.split(",")).map(String::trim).map(Nemesis.Fault::valueOf).toList();
        JepsenRun.Config config = new JepsenRun.Config(NODES, CLIENTS, Duration.ofSeconds(SECONDS), faults);
        long base = SEED.isEmpty() ? System.nanoTime() : Long.parseLong(SEED);
        int runs = RUNS;
        List<String> failures = new ArrayList<>();
        long ops = 0;
        long[] outcomes = new long[3];
        Map<String, Integer> injected = new TreeMap<>();
        for (int i = 0; i < runs; i++) {
            long seed = base + i;
            Path dir = Files.createDirectory(tmp.resolve("run-" + i));
            JepsenRun.Result r;
            try {
                r = assertTimeoutPreemptively(Duration.ofSeconds(SECONDS + 240),
                        () -> JepsenRun.run(seed, config, dir), "run with seed " + seed);
            } catch (Exception | AssertionError aborted) {
                // Saved under target/jepsen/SEED by the run; a soak goes on with the next seed.
                System.out.println("JEPSEN run " + (i + 1) + "/" + runs + " seed " + seed + " aborted: " + aborted);
                failures.add("seed " + seed + ": run aborted: " + aborted);
                continue;
            }
            System.out.println("JEPSEN run " + (i + 1) + "/" + runs + " " + r.summary());
            r.schedule().forEach(line -> System.out.println("  " + line));
            r.unexpected().stream().limit(5).forEach(u -> System.out.println("  unexpected error: " + u));
            ops += r.ops();
            outcomes[0] += r.ok();
            outcomes[1] += r.fail();
            outcomes[2] += r.info();
            r.faults().forEach((k, v) -> injected.merge(k, v, Integer::sum));
            if (!r.anomalies().isEmpty()) {
                failures.add(r.summary() + "\n" + String.join("\n", r.anomalies().subList(0, Math.min(5, r.anomalies().size()))));
            }
        }
        System.out.println("JEPSEN total: " + runs + " runs of " + NODES + " nodes, " + ops + " ops (" + outcomes[0] + " ok, "
                + outcomes[1] + " fail, " + outcomes[2] + " info), faults " + injected + ", " + failures.size() + " failing runs");
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + runs + " runs found anomalies (replay with -Djepsen.seed=SEED):\n"
                    + String.join("\n\n", failures));
        }
    }
}
