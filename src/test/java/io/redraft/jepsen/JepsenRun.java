package io.redraft.jepsen;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * One run: a fresh cluster, concurrent clients and the nemesis for a while; then the faults stop
 * and heal, the clients go on a little (the cluster must recover), the final state of every key
 * is read, and the checkers judge the history. A run with anomalies saves its history, schedule,
 * anomalies and node logs under {@code target/jepsen/<seed>/}.
 */
final class JepsenRun {
    record Config(int nodes, int clients, Duration duration, List<Nemesis.Fault> faults) { }

    record Result(long seed, int ops, long ok, long fail, long info, Map<String, Integer> faults,
                  List<String> anomalies, List<String> unexpected, List<String> schedule, Path saved) {
        String summary() {
            return "seed " + seed + ": " + ops + " ops (" + ok + " ok, " + fail + " fail, " + info + " info), faults "
                    + faults + ", " + anomalies.size() + " anomalies, " + unexpected.size() + " unexpected errors"
                    + (saved == null ? "" : ", saved to " + saved);
        }
    }

    private static final Duration RECOVERY = Duration.ofSeconds(3);

    private JepsenRun() {
    }

    static Result run(long seed, Config config, Path workDir) throws Exception {
        Random random = new Random(seed);
        List<String> anomalies = new ArrayList<>();
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        long origin = System.nanoTime();
        History history = new History(origin);
        // Replaced once the cluster is up; these empty ones are what a run that fails to start saves.
        Nemesis nemesis = new Nemesis(null, 0, List.of(), origin);
        JepsenCluster cluster = null;
        try {
            long t0 = System.nanoTime();
            cluster = JepsenCluster.start(workDir, config.nodes());
            System.out.printf("JEPSEN seed %d: cluster up in %d ms%n", seed, (System.nanoTime() - t0) / 1_000_000);
            origin = System.nanoTime();
            history = new History(origin);
            nemesis = new Nemesis(cluster, random.nextLong(), config.faults(), origin);
            Workload workload = new Workload(8, 40, 6, 200);
            Flag clientsRun = new Flag();
            List<Thread> clients = new ArrayList<>();
            for (int p = 0; p < config.clients(); p++) {
                Thread t = new Thread(new Client(p, cluster, workload, history, random.nextLong(), clientsRun::get,
                        unexpected), "jepsen-client-" + p);
                clients.add(t);
                t.start();
            }
            Thread nemesisThread = new Thread(nemesis, "jepsen-nemesis");
            nemesisThread.start();

            JepsenCluster.sleep(config.duration().toMillis());
            nemesis.stop();
            nemesisThread.join(Duration.ofSeconds(120).toMillis());
            nemesis.log("faults stop; healing");
            cluster.heal();
            JepsenCluster.sleep(RECOVERY.toMillis());
            clientsRun.clear();
            for (Thread t : clients) {
                t.join(Duration.ofSeconds(30).toMillis());
                if (t.isAlive()) {
                    anomalies.add(t.getName() + " did not stop");
                }
            }
            if (nemesis.error() != null) {
                anomalies.add("nemesis failed: " + nemesis.error());
            }
            nemesis.log("clients stopped; final reads");
            cluster.awaitHealthy(Duration.ofSeconds(60));
            finalReads(cluster, history);
            nemesis.log("final reads done; convergence");

            anomalies.addAll(checkRegisters(history));
            anomalies.addAll(ListAppendChecker.check(history.ops(), finalLists(history)));
            nemesis.log("checked; convergence");
            String divergence = Convergence.check(cluster, 30_000);
            nemesis.log("done");
            if (divergence != null) {
                anomalies.add(divergence);
            }
            long okReads = history.ops().stream().filter(o -> o.isOk() && o.f() == Op.F.READ).count();
            if (history.count(Op.Status.OK) == 0 || okReads == 0) {
                anomalies.add("the run did no successful operations: the harness is broken");
            }
            Path saved = anomalies.isEmpty() ? null : save(seed, history, nemesis, anomalies, unexpected, cluster);
            return new Result(seed, history.size(), history.count(Op.Status.OK), history.count(Op.Status.FAIL),
                    history.count(Op.Status.INFO), nemesis.counts(), anomalies, List.copyOf(unexpected), nemesis.schedule(), saved);
        } catch (Exception | Error e) {
            anomalies.add("run aborted: " + e);
            save(seed, history, nemesis, anomalies, unexpected, cluster);
            throw e;
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /** A final GET of every register and LRANGE of every list, through the first node, retried until they answer. */
    private static void finalReads(JepsenCluster cluster, History history) {
        TreeSet<String> registers = new TreeSet<>();
        TreeSet<String> lists = new TreeSet<>();
        for (Op op : history.ops()) {
            List<Op.Micro> micros = op.micros();
            if (micros.isEmpty()) {
                registers.add(op.key());
            } else {
                micros.forEach(m -> lists.add(m.key()));
            }
        }
        try (Jedis j = cluster.connect(0, 10_000)) {
            for (String key : registers) {
                history.add(retried(() -> {
                    long start = System.nanoTime();
                    String v = j.get(key);
                    return Op.ok(-1, Op.F.READ, key, null, start, System.nanoTime(), v);
                }));
            }
            for (String key : lists) {
                history.add(retried(() -> {
                    long start = System.nanoTime();
                    List<String> v = j.lrange(key, 0, -1);
                    return Op.ok(-1, Op.F.READ_LIST, key, null, start, System.nanoTime(), v);
                }));
            }
        }
    }

    private static Op retried(Supplier<Op> read) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return read.get();
            } catch (JedisException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                JepsenCluster.sleep(100);
            }
        }
    }

    /** The final LRANGE of each list (the reads of process -1). */
    private static Map<String, List<String>> finalLists(History history) {
        Map<String, List<String>> fin = new HashMap<>();
        for (Op op : history.ops()) {
            if (op.process() == -1 && op.f() == Op.F.READ_LIST) {
                fin.put(op.key(), op.listResult());
            }
        }
        return fin;
    }

    private static List<String> checkRegisters(History history) {
        List<String> anomalies = new ArrayList<>();
        history.byKey(op -> op.f() == Op.F.READ || op.f() == Op.F.WRITE || op.f() == Op.F.SWAP).forEach((key, ops) -> {
            RegisterChecker.Result r = RegisterChecker.check(key, ops);
            if (!r.valid()) {
                anomalies.add(r.explanation());
            }
        });
        return anomalies;
    }

    private static Path save(long seed, History history, Nemesis nemesis, List<String> anomalies, List<String> unexpected,
                             JepsenCluster cluster) throws IOException {
        Path dir = Path.of(System.getProperty("basedir", "."), "target", "jepsen", Long.toString(seed));
        Files.createDirectories(dir);
        history.save(dir.resolve("history.txt"));
        Files.write(dir.resolve("schedule.txt"), nemesis.schedule(), StandardCharsets.UTF_8);
        Files.write(dir.resolve("anomalies.txt"), anomalies, StandardCharsets.UTF_8);
        synchronized (unexpected) {
            Files.write(dir.resolve("unexpected-errors.txt"), unexpected, StandardCharsets.UTF_8);
        }
        if (cluster != null) {
            for (Path log : cluster.logs()) {
                Files.copy(log, dir.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        System.out.println("JEPSEN: seed " + seed + " failed; history, schedule and logs in " + dir);
        return dir;
    }

    /** A stop signal the client threads poll. */
    private static final class Flag {
        private volatile boolean set = true;

        boolean get() {
            return set;
        }

        void clear() {
            set = false;
        }
    }
}
