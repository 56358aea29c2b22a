package io.redraft.cluster;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * A thread that writes through one node until stopped and records the fate of every write, so a
 * test can check a cluster after faults: SET of a key of its own ({@code prefix:seq}) and INCR of
 * its counter ({@code prefix:counter}), alternately.
 *
 * <p>An OK reply means the write is acknowledged and must be on every node. A CLUSTERDOWN or
 * TRYAGAIN reply says the write was not applied (Redraft's contract: it never reached the log, or
 * another leader's entry took its place), so it must be on no node. Any other error, a timeout or a
 * broken connection leaves the outcome unknown: it may or may not be there. A key this writer never
 * sent must never appear.
 */
final class AckedWriter implements Runnable, AutoCloseable {
    private final String prefix;
    private final int node;
    private final IntSupplier port;
    private final Thread thread;
    private volatile boolean stop;
    /** Key -> value of acknowledged SETs. */
    private final Map<String, String> acked = new ConcurrentHashMap<>();
    private final Set<String> notApplied = ConcurrentHashMap.newKeySet();
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final AtomicLong incrAcked = new AtomicLong();
    private final AtomicLong incrUnknown = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    /** Send times (nanoTime) of acknowledged writes, in order, and their acknowledgement times. */
    private final List<long[]> ackTimes = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile String lastError = "";
    private volatile Throwable failure;

    /**
     * @param node the id of the node written through
     * @param port its client port (asked again after each broken connection: a restart changes it)
     */
    AckedWriter(String prefix, int node, IntSupplier port) {
        this.prefix = prefix;
        this.node = node;
        this.port = port;
        this.thread = new Thread(this, "writer-" + prefix);
        thread.setDaemon(true);
    }

    AckedWriter start() {
        thread.start();
        return this;
    }

    @Override
    public void run() {
        try {
            write();
        } catch (RuntimeException | Error e) {
            failure = e; // close() reports it: a writer must not die unnoticed
        }
    }

    private void write() {
        Jedis j = null;
        for (long seq = 0; !stop; seq++) {
            if (j == null) {
                try {
                    j = new Jedis("127.0.0.1", port.getAsInt(), 5_000); // connects at once
                } catch (IllegalStateException | JedisConnectionException down) {
                    // Down, or restarting and its port not known yet: nothing was sent.
                    lastError = String.valueOf(down.getMessage());
                    pause();
                    continue;
                }
            }
            boolean incr = seq % 2 == 1;
            String key = incr ? prefix + ":counter" : prefix + ":" + seq;
            String value = Long.toString(seq);
            if (!incr) {
                sent.add(key);
            }
            long sentAt = System.nanoTime();
            try {
                if (incr) {
                    j.incr(key);
                    incrAcked.incrementAndGet();
                } else {
                    String reply = j.set(key, value);
                    if (!"OK".equals(reply)) {
                        throw new AssertionError("SET " + key + " answered " + reply);
                    }
                    acked.put(key, value);
                }
                ackTimes.add(new long[]{sentAt, System.nanoTime()});
            } catch (JedisDataException e) {
                errors.incrementAndGet();
                lastError = e.getMessage();
                String m = String.valueOf(e.getMessage());
                boolean definitelyNot = m.startsWith("CLUSTERDOWN") || m.startsWith("TRYAGAIN");
                if (incr && !definitelyNot) {
                    incrUnknown.incrementAndGet();
                } else if (!incr && definitelyNot) {
                    notApplied.add(key);
                }
                pause();
            } catch (JedisConnectionException e) {
                // Down, killed or slow: the outcome of this write is unknown. Reconnect.
                errors.incrementAndGet();
                lastError = String.valueOf(e.getMessage());
                if (incr) {
                    incrUnknown.incrementAndGet();
                }
                j.close();
                j = null;
                pause();
            }
        }
        if (j != null) {
            j.close();
        }
    }

    /** A failing node answers at once: do not spin on it. */
    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int node() {
        return node;
    }

    long acks() {
        return ackTimes.size();
    }

    long errors() {
        return errors.get();
    }

    String lastError() {
        return lastError;
    }

    /** Acknowledgement time of the first write sent at or after {@code sentAfter} (nanoTime), or -1. */
    long firstAckOfWriteSentAfter(long sentAfter) {
        synchronized (ackTimes) {
            for (long[] t : ackTimes) {
                if (t[0] >= sentAfter) {
                    return t[1];
                }
            }
        }
        return -1;
    }

    /** Stops the writer and waits for its last write to end. */
    @Override
    public void close() {
        stop = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new AssertionError(thread.getName() + " did not stop");
        }
        if (failure != null) {
            throw new AssertionError(thread.getName() + " failed", failure);
        }
    }

    /**
     * Checks one node (through the connection j) against this writer's record; adds a line per
     * problem. Call after {@link #close}.
     */
    void check(Jedis j, String node, List<String> problems) {
        for (Map.Entry<String, String> e : acked.entrySet()) {
            String v = j.get(e.getKey());
            if (!e.getValue().equals(v)) {
                problems.add(node + ": acknowledged " + e.getKey() + "=" + e.getValue() + " but found " + v);
            }
        }
        for (String key : notApplied) {
            if (j.exists(key)) {
                problems.add(node + ": " + key + " was refused with CLUSTERDOWN/TRYAGAIN (not applied) but exists");
            }
        }
        String counter = j.get(prefix + ":counter");
        long c = counter == null ? 0 : Long.parseLong(counter);
        if (c < incrAcked.get() || c > incrAcked.get() + incrUnknown.get()) {
            problems.add(node + ": " + prefix + ":counter is " + c + " but " + incrAcked.get() + " INCRs were acknowledged and "
                    + incrUnknown.get() + " have an unknown outcome");
        }
        Set<String> seen = new HashSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = j.scan(cursor, new ScanParams().match(prefix + ":*").count(1000));
            seen.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        for (String key : seen) {
            if (!key.equals(prefix + ":counter") && !sent.contains(key)) {
                problems.add(node + ": " + key + " exists but was never sent");
            }
        }
    }

    @Override
    public String toString() {
        return prefix + ": " + acked.size() + " SETs and " + incrAcked.get() + " INCRs acknowledged, "
                + notApplied.size() + " SETs refused, " + incrUnknown.get() + " INCRs unknown, " + errors.get()
                + " errors (last: " + lastError + ")" + (failure == null ? "" : "; FAILED: " + failure);
    }
}
