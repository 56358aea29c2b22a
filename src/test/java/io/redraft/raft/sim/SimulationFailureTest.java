package io.redraft.raft.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulationFailureTest {
    @Test void failureReportNamesSeedReplayCommandAndRecentEvents() {
        Simulation sim = new Simulation(99).run();
        SimulationFailure f = assertThrows(SimulationFailure.class, () -> sim.fail("synthetic"));
        String msg = f.getMessage();
        assertTrue(msg.startsWith("seed 99: synthetic"), msg);
        assertTrue(msg.contains("-Dsimulation.seed=99"));
        assertTrue(msg.contains("last events:") && msg.contains(" tick "), "trace of the last events");
        assertTrue(msg.contains("n1 up") || msg.contains("n1 DOWN"), "node states");
    }
}
