package io.redraft.raft.sim;

/** A violated invariant or liveness bound, with the seed and the last events of the run. */
public final class SimulationFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final long seed;

    SimulationFailure(long seed, String why, Trace trace, Throwable cause) {
        super("seed " + seed + ": " + why + "\n  replay with -Dsimulation.seed=" + seed + "\n  last events:\n" + trace.dump(Integer.getInteger("simulation.traceShow", 120)), cause);
        this.seed = seed;
    }
}
