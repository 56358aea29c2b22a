package io.redraft.jepsen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

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
        /**
         * Cut the network, then heal: a node isolated, a node that talks but hears nobody, a
         * minority (with 5 nodes, two) from the majority, a bridge (two sides that only talk through
         * one node), or (5 nodes) a majorities ring.
         */
        PARTITION,
        /**
         * RAFT.NODE REMOVE a node (the leader too), kill it, wipe its data directory and start it
         * with raft-join: it joins as a learner, catches up (from a snapshot when the log was
         * compacted meanwhile) and is promoted to voter.
         */
        MEMBERSHIP,
        /**
         * BGSAVE on a node (a snapshot, and the log below it dropped), and half of the time kill -9
         * and restart it right after, so that it loads that snapshot and replays the log's tail.
         */
        SNAPSHOT
    }

    /** How long a membership step may take before the nemesis reports it as stuck. */
    private static final Duration MEMBERSHIP_TIMEOUT = Duration.ofSeconds(60);

    private final JepsenCluster cluster;
    private final Random random;
    private final List<Fault> faults;
    private final long origin;
    private final List<String> schedule = new ArrayList<>();
    /** Faults injected, by kind and variant ("PARTITION minority", "MEMBERSHIP leader", ...). */
    private final Map<String, Integer> counts = new TreeMap<>();
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
        String variant = "";
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
                String who = "node " + (target + 1) + (target == leader ? " (leader)" : "");
                Network net = cluster.network();
                int n = cluster.size();
                List<String> variants = new ArrayList<>(List.of("isolated", "deaf", "bridge"));
                if (n >= 5) {
                    variants.addAll(List.of("minority", "ring"));
                }
                variant = variants.get(random.nextInt(variants.size()));
                List<Integer> others = shuffledOthers(target);
                switch (variant) {
                    case "isolated" -> {
                        log("partition: " + who + " isolated from its peers for " + millis + " ms");
                        net.isolate(target);
                    }
                    case "deaf" -> {
                        log("partition: " + who + " hears nobody (inbound links cut) for " + millis + " ms");
                        net.deafen(target);
                    }
                    case "minority" -> {
                        List<Integer> minority = new ArrayList<>(others.subList(0, (n - 1) / 2 - 1));
                        minority.add(0, target);
                        List<Integer> majority = new ArrayList<>(others.subList((n - 1) / 2 - 1, others.size()));
                        log("partition: minority " + ids(minority) + " (with " + who + ") | majority " + ids(majority)
                                + " for " + millis + " ms");
                        net.cutBetween(minority, majority);
                    }
                    case "bridge" -> {
                        // The target on one side; the bridge talks to both sides.
                        int bridge = others.get(0);
                        List<Integer> rest = others.subList(1, others.size());
                        List<Integer> left = new ArrayList<>(rest.subList(0, rest.size() / 2));
                        left.add(0, target);
                        List<Integer> right = new ArrayList<>(rest.subList(rest.size() / 2, rest.size()));
                        log("partition: bridge " + ids(left) + " (with " + who + ") | node " + (bridge + 1) + " | "
                                + ids(right) + " for " + millis + " ms");
                        net.cutBetween(left, right);
                    }
                    case "ring" -> {
                        List<Integer> ring = new ArrayList<>(others);
                        ring.add(0, target);
                        log("partition: majorities ring " + ids(ring) + " (each talks to its neighbours only) for "
                                + millis + " ms");
                        net.ring(ring);
                    }
                    default -> throw new IllegalStateException(variant);
                }
                pause(millis);
                net.heal();
                log("network healed");
            }
            case MEMBERSHIP -> {
                String who = "node " + (target + 1) + (target == leader ? " (leader)" : "");
                variant = target == leader ? "leader" : "follower";
                List<Integer> others = shuffledOthers(target);
                log("remove " + who + " through node " + (others.get(0) + 1) + ": "
                        + cluster.remove(target, others.get(0), MEMBERSHIP_TIMEOUT));
                cluster.awaitMembership(target, null, MEMBERSHIP_TIMEOUT);
                log("node " + (target + 1) + " is out of the membership; kill -9 and wipe its data");
                cluster.kill9(target);
                cluster.wipe(target);
                pause(300 + random.nextInt(2500));
                int via = shuffledOthers(target).stream().filter(cluster::isUp).findFirst().orElse(others.get(0));
                log("node " + (target + 1) + " rejoins (raft-join through node " + (via + 1) + ")");
                cluster.rejoin(target, via);
                log("node " + (target + 1) + " ready; waiting for its promotion");
                cluster.awaitMembership(target, "voter", MEMBERSHIP_TIMEOUT);
                log("node " + (target + 1) + " is a voter again");
            }
            case SNAPSHOT -> {
                int node = random.nextInt(cluster.size());
                boolean crash = random.nextBoolean();
                variant = crash ? "then kill -9" : "";
                log("BGSAVE node " + (node + 1) + (node == leader ? " (leader)" : "") + ": " + cluster.bgsave(node));
                log("node " + (node + 1) + " snapshot done: raft_snapshot_index "
                        + cluster.awaitSnapshot(node, Duration.ofSeconds(10)));
                if (crash) {
                    log("kill -9 node " + (node + 1) + " after its snapshot");
                    cluster.kill9(node);
                    pause(200 + random.nextInt(1000));
                    log("restart node " + (node + 1));
                    cluster.restart(node);
                    log("node " + (node + 1) + " ready");
                }
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
            counts.merge(variant.isEmpty() ? fault.name() : fault.name() + " " + variant, 1, Integer::sum);
        }
    }

    /** The nodes other than {@code node}, in a seeded random order. */
    private List<Integer> shuffledOthers(int node) {
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            if (i != node) {
                others.add(i);
            }
        }
        Collections.shuffle(others, random);
        return others;
    }

    private static String ids(List<Integer> nodes) {
        return nodes.stream().map(i -> Integer.toString(i + 1)).collect(java.util.stream.Collectors.joining(",", "{", "}"));
    }

    /** Stops after the fault in progress is healed; the caller joins the thread, then heals the rest. */
    void stop() {
        running = false;
    }

    Throwable error() {
        return error;
    }

    synchronized Map<String, Integer> counts() {
        return new TreeMap<>(counts);
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
