package io.redraft.jepsen;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Injects one fault at a time on a seeded random schedule: a quiet spell, a fault, its healing.
 * The choices (which fault, which node, how long) come from the seed; their timing from the run.
 * Every step goes to the schedule, which a failed run saves next to its history.
 */
final class Nemesis implements Runnable {
    enum Fault {
        /** kill -9 a node, leave it down a while, restart it on its data. */
        KILL,
        /** SIGSTOP a node for longer than the election timeout (0.5–1 s), then SIGCONT. */
        PAUSE,
        /** RAFT.TRANSFER-LEADER from the leader to another node. */
        TRANSFER,
        /** Cut a node off its peers (both ways), or only its inbound links (it talks, hears nobody), then heal. */
        PARTITION
    }

    private final JepsenCluster cluster;
    private final Random random;
    private final List<Fault> faults;
    private final long origin;
    private final List<String> schedule = new ArrayList<>();
    private final Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
    private volatile boolean running = true;
    private volatile Throwable error;

    Nemesis(JepsenCluster cluster, long seed, List<Fault> faults, long origin) {
        this.cluster = cluster;
        this.random = new Random(seed);
        this.faults = faults;
        this.origin = origin;
    }

    @Override
    public void run() {
        try {
            while (running) {
                pause(700 + random.nextInt(1500));
                if (!running || faults.isEmpty()) {
                    break;
                }
                inject(faults.get(random.nextInt(faults.size())));
            }
        } catch (Throwable t) {
            error = t;
            log("nemesis failed: " + t);
        }
    }

    private void inject(Fault fault) throws Exception {
        int leader = cluster.leader();
        // The leader is the interesting victim: favour it when there is one.
        int target = leader >= 0 && random.nextInt(10) < 6 ? leader : random.nextInt(cluster.size());
        switch (fault) {
            case KILL -> {
                log("kill -9 node " + (target + 1) + (target == leader ? " (leader)" : ""));
                cluster.kill9(target);
                pause(200 + random.nextInt(2500));
                log("restart node " + (target + 1));
                cluster.restart(target);
                log("node " + (target + 1) + " ready");
            }
            case PAUSE -> {
                int millis = 1000 + random.nextInt(2000);
                log("SIGSTOP node " + (target + 1) + (target == leader ? " (leader)" : "") + " for " + millis + " ms");
                cluster.pause(target);
                pause(millis);
                cluster.resume(target);
                log("SIGCONT node " + (target + 1));
            }
            case PARTITION -> {
                int millis = 1500 + random.nextInt(2500);
                boolean oneWay = random.nextInt(10) < 4;
                String who = "node " + (target + 1) + (target == leader ? " (leader)" : "");
                if (oneWay) {
                    log("partition: " + who + " hears nobody (inbound links cut) for " + millis + " ms");
                    cluster.network().deafen(target);
                } else {
                    log("partition: " + who + " isolated from its peers for " + millis + " ms");
                    cluster.network().isolate(target);
                }
                pause(millis);
                cluster.network().heal();
                log("network healed");
            }
            case TRANSFER -> {
                if (leader < 0) {
                    log("transfer skipped: no leader");
                    return;
                }
                int to = (leader + 1 + random.nextInt(cluster.size() - 1)) % cluster.size();
                log("transfer leadership node " + (leader + 1) + " -> node " + (to + 1) + ": "
                        + cluster.transferLeadership(leader, to));
            }
        }
        synchronized (this) {
            counts.merge(fault, 1, Integer::sum);
        }
    }

    /** Stops after the fault in progress is healed; the caller joins the thread, then heals the rest. */
    void stop() {
        running = false;
    }

    Throwable error() {
        return error;
    }

    synchronized Map<Fault, Integer> counts() {
        Map<Fault, Integer> copy = new EnumMap<>(Fault.class);
        copy.putAll(counts);
        return copy;
    }

    synchronized List<String> schedule() {
        return List.copyOf(schedule);
    }

    synchronized void log(String event) {
        schedule.add(String.format("%9.3f %s", (System.nanoTime() - origin) / 1e6, event));
    }

    private static void pause(long millis) {
        JepsenCluster.sleep(millis);
    }
}
