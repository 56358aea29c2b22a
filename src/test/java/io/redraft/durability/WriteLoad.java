package io.redraft.durability;

import static org.junit.jupiter.api.Assertions.*;

import io.redraft.testing.ServerProcess;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * One {@link Writer} thread per model (every second one pipelining) writing to a server until the
 * test stops the server under them, and the check of the server, once restarted, against every
 * model. The models outlive a load: the next round goes on from them.
 */
final class WriteLoad implements AutoCloseable {
    private final ServerProcess server;
    private final List<WriterModel> models;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Writer> writers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long[] acksAtStart;

    private WriteLoad(ServerProcess server, List<WriterModel> models, Random random, int round) {
        this.server = server;
        this.models = models;
        this.acksAtStart = models.stream().mapToLong(WriterModel::acks).toArray();
        for (WriterModel m : models) {
            // Half the writers pipeline: several writes of one session in flight when the server stops.
            Writer w = new Writer(m, server.port(), random.nextLong(), m.id() % 2 == 1, stop, round);
            writers.add(w);
            threads.add(new Thread(w, "writer-" + m.id()));
        }
    }

    /** Starts one writer thread per model, with seeds drawn from random. */
    static WriteLoad start(ServerProcess server, List<WriterModel> models, Random random, int round) {
        WriteLoad load = new WriteLoad(server, models, random, round);
        load.threads.forEach(Thread::start);
        return load;
    }

    /** Waits until every writer has had a write acknowledged in this load (or one has failed). */
    void awaitEveryWriterAcknowledged(String where) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!everyWriterAcknowledged()) {
            assertTrue(System.nanoTime() < deadline, where + ": writers got no acknowledgement" + server.describe());
            Thread.sleep(5); // polling the writers' progress
        }
    }

    private boolean everyWriterAcknowledged() {
        for (int i = 0; i < models.size(); i++) {
            if (writers.get(i).failure() != null) return true; // finish() reports it
            if (models.get(i).acks() == acksAtStart[i]) return false;
        }
        return true;
    }

    /** Writes acknowledged during this load so far. */
    long acknowledged() {
        long n = 0;
        for (int i = 0; i < models.size(); i++) n += models.get(i).acks() - acksAtStart[i];
        return n;
    }

    /** Once the server is stopped: joins the writers and fails on any unexpected reply they met. */
    void finish(String where) throws InterruptedException {
        close();
        for (Writer w : writers) {
            assertNull(w.failure(), where + ": unexpected reply before the server stopped" + server.describe());
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(t.isAlive(), t.getName() + " did not stop");
        }
    }

    /**
     * Checks a (restarted) server against every model: each writer's keys hold what its model
     * allows, and no other key exists. Returns the problems found, none if all is well.
     */
    static List<String> check(ServerProcess server, List<WriterModel> models) {
        List<String> problems = new ArrayList<>();
        try (Jedis j = server.jedis()) {
            Set<String> known = new HashSet<>();
            for (WriterModel m : models) {
                known.addAll(m.keys());
                m.checkAndResolve(j, problems);
            }
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = j.scan(cursor, new ScanParams().count(1000));
                for (String key : page.getResult()) {
                    if (!known.contains(key)) problems.add(key + " exists but no writer ever wrote it");
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        return problems;
    }

    /** The first problems, one a line, for an assertion message. */
    static String describe(List<String> problems) {
        return "\n  " + String.join("\n  ", problems.subList(0, Math.min(20, problems.size())));
    }
}
