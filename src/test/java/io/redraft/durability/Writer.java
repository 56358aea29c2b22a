package io.redraft.durability;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * One client thread of the crash test: sends a seeded random mix of SET (to a few reused keys and
 * to fresh ones), INCR and RPUSH until its connection dies with the server (or it is stopped),
 * recording each write in its {@link WriterModel} before sending it and once it is acknowledged.
 * A synchronous writer has one write in flight at a time; a pipelined one sends batches of up to
 * {@value #MAX_BATCH}, so the server holds several writes of one session in flight when it dies.
 * Any reply other than the one the model predicts is kept as a failure.
 */
final class Writer implements Runnable {
    private static final int REUSED_KEYS = 8;
    private static final int MAX_BATCH = 16;

    private final WriterModel model;
    private final int port;
    private final Random random;
    private final boolean pipelined;
    private final AtomicBoolean stop;
    private final String round;
    private volatile String failure;

    Writer(WriterModel model, int port, long seed, boolean pipelined, AtomicBoolean stop, int round) {
        this.model = model;
        this.port = port;
        this.random = new Random(seed);
        this.pipelined = pipelined;
        this.stop = stop;
        this.round = Integer.toString(round);
    }

    /** The unexpected reply or error this writer met, or null. */
    String failure() {
        return failure;
    }

    @Override
    public void run() {
        try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
            long n = 0;
            while (!stop.get()) {
                int batch = pipelined ? 1 + random.nextInt(MAX_BATCH) : 1;
                // Run once the batch's replies are in: each checks its reply and records the ack.
                List<Runnable> onReply = new ArrayList<>(batch);
                try (Pipeline p = j.pipelined()) {
                    for (int i = 0; i < batch; i++) {
                        onReply.add(send(p, n++));
                    }
                    p.sync();
                }
                onReply.forEach(Runnable::run);
            }
        } catch (JedisConnectionException killed) {
            // The server died under us: the writes of the batch in flight are sent, not acknowledged.
        } catch (RuntimeException | AssertionError e) {
            failure = "writer " + model.id() + ": " + e;
        }
    }

    /** Queues one random write; returns what checks its reply. */
    private Runnable send(Pipeline p, long n) {
        int id = model.id();
        // Values name writer, round and sequence: a value can only be where this writer put it.
        String value = id + ":" + round + ":" + n;
        int op = random.nextInt(10);
        if (op < 6) {
            String key = op < 4 ? "s:" + id + ":" + random.nextInt(REUSED_KEYS) : "u:" + id + ":" + round + ":" + n;
            int position = model.setSent(key, value);
            Response<String> reply = p.set(key, value);
            return () -> {
                expect(reply.get(), "OK", "SET " + key);
                model.setAcked(key, position);
            };
        } else if (op < 8) {
            long expected = model.incrSent();
            Response<Long> reply = p.incr(model.counterKey());
            return () -> {
                expect(reply.get(), expected, "INCR");
                model.incrAcked(expected);
            };
        } else {
            int expected = model.pushSent(value);
            Response<Long> reply = p.rpush(model.listKey(), value);
            return () -> {
                expect(reply.get(), (long) expected, "RPUSH");
                model.pushAcked(expected);
            };
        }
    }

    private static void expect(Object reply, Object expected, String command) {
        if (!expected.equals(reply)) {
            throw new AssertionError(command + " replied " + reply + ", expected " + expected);
        }
    }
}
