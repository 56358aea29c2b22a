package io.redraft.raft;

import io.redraft.raft.sim.Simulation;
import io.redraft.raft.sim.SimulationFailure;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            new Simulation(Long.parseLong(one.trim())).run();
            return;
        }
        int seeds = Integer.getInteger("simulation.seeds", 10000);
        long start = System.nanoTime();
        List<SimulationFailure> failures = Collections.synchronizedList(new ArrayList<>());
        // Each seed is an independent deterministic run, so running them in parallel is still reproducible.
        LongStream.range(1, seeds + 1).parallel().forEach(seed -> {
            if (failures.size() >= 3) return;
            try {
                new Simulation(seed).run();
            } catch (SimulationFailure f) {
                failures.add(f);
            }
        });
        System.out.printf("simulation: %d seeds in %.1fs%n", seeds, (System.nanoTime() - start) / 1e9);
        if (!failures.isEmpty()) {
            failures.sort((a, b) -> Long.compare(a.seed, b.seed));
            fail(failures.get(0).getMessage(), failures.get(0));
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
