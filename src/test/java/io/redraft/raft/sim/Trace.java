package io.redraft.raft.sim;

import io.redraft.raft.Message;

/**
 * Deterministic record of a simulation run: a rolling hash of every event (so two runs of one seed
 * can be compared cheaply) and a ring buffer of the last events for failure reports. Details are
 * formatted lazily, only when a report is printed.
 */
final class Trace {
    /** Events kept for the report; raise with -Dsimulation.traceKeep=N when debugging a seed. */
    private static final int KEEP = Integer.getInteger("simulation.traceKeep", 400);
    private final long[] times = new long[KEEP];
    private final String[] kinds = new String[KEEP];
    private final long[] nodes = new long[KEEP];
    private final Object[] details = new Object[KEEP];
    private long count;
    private long hash = 1125899906842597L;

    void add(long time, String kind, long node, Object detail) {
        int i = (int) (count++ % KEEP);
        times[i] = time; kinds[i] = kind; nodes[i] = node; details[i] = detail;
        long h = hash;
        h = h * 31 + time;
        h = h * 31 + kind.hashCode();
        h = h * 31 + node;
        h = h * 31 + detailHash(detail);
        hash = h;
    }

    private static long detailHash(Object d) {
        if (d == null) return 0;
        if (d instanceof Message m) {
            return ((((m.type.ordinal() * 31L + m.from) * 31 + m.to) * 31 + m.term) * 31 + m.index) * 31 + m.commit
                    + m.entries.size() * 7L + (m.reject ? 3 : 0) + m.context * 13;
        }
        if (d instanceof Number n) return n.longValue();
        return d.toString().hashCode(); // only Strings/records of primitives are passed otherwise
    }

    long hash() { return hash; }
    long count() { return count; }

    String dump(int last) {
        StringBuilder sb = new StringBuilder();
        long from = Math.max(0, count - Math.min(last, KEEP));
        for (long c = from; c < count; c++) {
            int i = (int) (c % KEEP);
            sb.append(String.format("  #%d t=%dms %-9s n%d %s%n", c, times[i], kinds[i], nodes[i], details[i] == null ? "" : details[i]));
        }
        return sb.toString();
    }
}
