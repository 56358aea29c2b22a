package io.redraft.raft;

import io.redraft.raft.sim.Simulation;
import io.redraft.raft.sim.SimulationFailure;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The acceptance test: many seeded whole-cluster simulations. {@code -Dsimulation.seeds=N} sets the
 * number of seeds (default 10000), {@code -Dsimulation.seed=S} replays exactly one seed.
 */
class SimulationTest {

    @Test
    void manySeeds() {
        String one = System.getProperty("simulation.seed");
        if (one != null && !one.isBlank()) {
            Simulation sim = new Simulation(Long.parseLong(one.trim())).run();
            System.out.printf("simulation: replayed seed %s: %d events, trace hash %016x, %d client ops%n",
                    one.trim(), sim.traceLength(), sim.traceHash(), sim.historySize());
            return;
        }
        int seeds = Integer.getInteger("simulation.seeds", 10000);
        long start = System.nanoTime();
        List<SimulationFailure> failures = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> coverage = new ConcurrentSkipListMap<>();
        // Each seed is an independent deterministic run, so running them in parallel is still reproducible.
        LongStream.range(1, seeds + 1).parallel().forEach(seed -> {
            if (failures.size() >= 3) return;
            try {
                Simulation sim = new Simulation(seed).run();
                sim.stats().forEach((k, v) -> coverage.merge(k, v, Long::sum));
                coverage.merge("clusters of " + sim.clusterSize(), 1L, Long::sum);
            } catch (SimulationFailure f) {
                failures.add(f);
            }
        });
        System.out.printf("simulation: %d seeds in %.1fs%n", seeds, (System.nanoTime() - start) / 1e9);
        if (!failures.isEmpty()) {
            failures.sort((a, b) -> Long.compare(a.seed, b.seed));
            fail(failures.get(0).getMessage(), failures.get(0));
        }
        coverage.forEach((k, v) -> System.out.printf("  %-40s %d%n", k, v));
        if (seeds >= 1000) {
            // The simulation must actually exercise what it claims to.
            for (String k : List.of("leaders elected", "writes ok", "writes overwritten", "reads ok (leader)", "reads ok (follower)",
                    "crashes", "partitions", "leader isolations", "snapshots sent", "snapshots installed", "compactions",
                    "membership changes committed", "membership proposed REMOVE_NODE (leader itself)", "membership proposed PROMOTE_LEARNER",
                    "transfers started", "timeout-now sent")) {
                assertTrue(coverage.getOrDefault(k, 0L) > 0, "simulation never exercised: " + k);
            }
        }
    }

    @Test
    void sameSeedSameTrace() {
        for (long seed : new long[] {7, 42, 1234}) {
            Simulation a = new Simulation(seed).run();
            Simulation b = new Simulation(seed).run();
            assertEquals(a.traceHash(), b.traceHash(), "seed " + seed + " is not deterministic");
            assertEquals(a.traceLength(), b.traceLength());
        }
    }
}
