package io.redraft.jepsen;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * One client process: runs the workload through a random node per operation, recording each
 * operation's outcome. It keeps one connection per node and drops it after a connection error or
 * a socket timeout (a late reply would otherwise answer the next command).
 *
 * <p>Outcomes: {@code CLUSTERDOWN}, {@code TRYAGAIN} and {@code LOADING} replies mean the
 * operation certainly did not take effect (FAIL); a {@code TIMEOUT} reply, a lost connection or a
 * socket timeout leave a write's outcome unknown (INFO), while a read that got no answer simply
 * failed. Any other error reply is unexpected: it is recorded as INFO and reported.
 */
final class Client implements Runnable {
    /** Longer than raft-request-timeout (2 s), so a slow write answers before the socket gives up. */
    static final int SOCKET_TIMEOUT_MILLIS = 4_000;

    private final int process;
    private final JepsenCluster cluster;
    private final Workload workload;
    private final History history;
    private final Random random;
    private final BooleanSupplier running;
    private final List<String> unexpected;
    private final Jedis[] connections;
    private final int[] connectedPorts;
    private long seq;

    Client(int process, JepsenCluster cluster, Workload workload, History history, long seed, BooleanSupplier running,
           List<String> unexpected) {
        this.process = process;
        this.cluster = cluster;
        this.workload = workload;
        this.history = history;
        this.random = new Random(seed);
        this.running = running;
        this.unexpected = unexpected;
        this.connections = new Jedis[cluster.size()];
        this.connectedPorts = new int[cluster.size()];
    }

    @Override
    public void run() {
        try {
            while (running.getAsBoolean()) {
                int node = random.nextInt(cluster.size());
                int port = cluster.port(node);
                if (port < 0) {
                    continue; // down: another node will be picked
                }
                Workload.Invocation inv = workload.next(random, process, seq++);
                history.add(execute(node, port, inv));
            }
        } finally {
            for (int i = 0; i < connections.length; i++) {
                drop(i);
            }
        }
    }

    private Op execute(int node, int port, Workload.Invocation inv) {
        if (inv.f() == Op.F.TXN) {
            return transaction(node, port, inv.micro());
        }
        long start = System.nanoTime();
        boolean read = inv.f() == Op.F.READ || inv.f() == Op.F.READ_LIST;
        try {
            Jedis j = connection(node, port);
            Object result = switch (inv.f()) {
                case READ -> j.get(inv.key());
                case WRITE -> j.set(inv.key(), inv.value());
                case SWAP -> j.setGet(inv.key(), inv.value());
                case APPEND -> j.rpush(inv.key(), inv.value());
                case READ_LIST -> j.lrange(inv.key(), 0, -1);
                case TXN -> throw new IllegalArgumentException("not a single command");
            };
            return Op.ok(process, inv.f(), inv.key(), inv.value(), start, System.nanoTime(), result);
        } catch (JedisDataException e) {
            long end = System.nanoTime();
            String msg = String.valueOf(e.getMessage());
            if (msg.startsWith("CLUSTERDOWN") || msg.startsWith("TRYAGAIN") || msg.startsWith("LOADING")) {
                return Op.fail(process, inv.f(), inv.key(), inv.value(), start, end, msg);
            }
            if (!msg.startsWith("TIMEOUT")) {
                unexpected.add("node " + (node + 1) + " " + inv + ": " + msg);
            }
            return read ? Op.fail(process, inv.f(), inv.key(), inv.value(), start, end, msg)
                    : Op.info(process, inv.f(), inv.key(), inv.value(), start, end, msg);
        } catch (JedisException e) {
            long end = System.nanoTime();
            drop(node);
            String msg = "node " + (node + 1) + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!(e instanceof JedisConnectionException)) {
                unexpected.add(inv + ": " + msg);
            }
            return read ? Op.fail(process, inv.f(), inv.key(), inv.value(), start, end, msg)
                    : Op.info(process, inv.f(), inv.key(), inv.value(), start, end, msg);
        }
    }

    /**
     * MULTI, the micro-operations, EXEC. Outcomes as for single commands; a transaction that
     * appends nothing is a read (no answer: it failed). After any error the connection is dropped:
     * it may still be inside MULTI.
     */
    private Op transaction(int node, int port, List<Op.Micro> micro) {
        long start = System.nanoTime();
        boolean read = micro.stream().noneMatch(m -> m.f() == Op.F.APPEND);
        try {
            Jedis j = connection(node, port);
            List<Response<?>> replies = new ArrayList<>(micro.size());
            List<Object> results;
            try (Transaction t = j.multi()) {
                for (Op.Micro m : micro) {
                    replies.add(m.f() == Op.F.APPEND ? t.rpush(m.key(), m.value()) : t.lrange(m.key(), 0, -1));
                }
                results = t.exec();
            }
            long end = System.nanoTime();
            if (results == null || results.size() != micro.size() || results.stream().anyMatch(r -> r instanceof Exception)) {
                drop(node);
                unexpected.add("node " + (node + 1) + " " + micro + ": EXEC answered " + results);
                return Op.txn(process, Op.Status.INFO, micro, start, end, "EXEC answered " + results);
            }
            List<Op.Micro> done = new ArrayList<>(micro.size());
            for (int i = 0; i < micro.size(); i++) {
                done.add(micro.get(i).withResult(replies.get(i).get()));
            }
            return Op.txn(process, Op.Status.OK, done, start, end, null);
        } catch (JedisDataException e) {
            long end = System.nanoTime();
            drop(node);
            String msg = String.valueOf(e.getMessage());
            boolean notApplied = msg.startsWith("CLUSTERDOWN") || msg.startsWith("TRYAGAIN") || msg.startsWith("LOADING")
                    || msg.startsWith("EXECABORT");
            if (!notApplied && !msg.startsWith("TIMEOUT") || msg.startsWith("EXECABORT")) {
                unexpected.add("node " + (node + 1) + " " + micro + ": " + msg);
            }
            return Op.txn(process, notApplied || read ? Op.Status.FAIL : Op.Status.INFO, micro, start, end, msg);
        } catch (JedisException e) {
            long end = System.nanoTime();
            drop(node);
            String msg = "node " + (node + 1) + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!(e instanceof JedisConnectionException)) {
                unexpected.add(micro + ": " + msg);
            }
            return Op.txn(process, read ? Op.Status.FAIL : Op.Status.INFO, micro, start, end, msg);
        }
    }

    private Jedis connection(int node, int port) {
        if (connections[node] != null && connectedPorts[node] != port) {
            drop(node); // restarted on a new port
        }
        if (connections[node] == null) {
            connections[node] = new Jedis("127.0.0.1", port, SOCKET_TIMEOUT_MILLIS);
            connectedPorts[node] = port;
        }
        return connections[node];
    }

    private void drop(int node) {
        if (connections[node] != null) {
            try {
                connections[node].close();
            } catch (RuntimeException ignored) {
                // already broken
            }
            connections[node] = null;
        }
    }
}
