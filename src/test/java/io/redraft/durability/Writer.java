package io.redraft.durability;

import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * One client thread of the crash test: sends a seeded random mix of SET (to a few reused keys and
 * to fresh ones), INCR and RPUSH, one at a time, recording each in its {@link WriterModel} before
 * sending and once acknowledged, until its connection dies with the server (or it is stopped).
 * Any reply other than the one the model predicts is kept as a failure.
 */
final class Writer implements Runnable {
    private static final int REUSED_KEYS = 8;

    private final WriterModel model;
    private final int port;
    private final Random random;
    private final AtomicBoolean stop;
    private final String round;
    private volatile String failure;

    Writer(WriterModel model, int port, long seed, AtomicBoolean stop, int round) {
        this.model = model;
        this.port = port;
        this.random = new Random(seed);
        this.stop = stop;
        this.round = Integer.toString(round);
    }

    /** The unexpected reply or error this writer met, or null. */
    String failure() {
        return failure;
    }

    @Override
    public void run() {
        int id = model.id();
        try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
            for (long n = 0; !stop.get(); n++) {
                // Values name writer, round and sequence: a value can only be where this writer put it.
                String value = id + ":" + round + ":" + n;
                int op = random.nextInt(10);
                if (op < 4) {
                    set(j, "s:" + id + ":" + random.nextInt(REUSED_KEYS), value);
                } else if (op < 6) {
                    set(j, "u:" + id + ":" + round + ":" + n, value);
                } else if (op < 8) {
                    long expected = model.incrSent();
                    expect(j.incr(model.counterKey()), expected, "INCR");
                    model.incrAcked();
                } else {
                    int expected = model.pushSent(value);
                    expect(j.rpush(model.listKey(), value), expected, "RPUSH");
                    model.pushAcked();
                }
            }
        } catch (JedisConnectionException killed) {
            // The server died under us: the write in flight is sent but not acknowledged.
        } catch (RuntimeException | AssertionError e) {
            failure = "writer " + id + ": " + e;
        }
    }

    private void set(Jedis j, String key, String value) {
        model.setSent(key, value);
        String reply = j.set(key, value);
        if (!"OK".equals(reply)) {
            throw new AssertionError("SET " + key + " replied " + reply);
        }
        model.setAcked(key);
    }

    private static void expect(long reply, long expected, String command) {
        if (reply != expected) {
            throw new AssertionError(command + " replied " + reply + ", expected " + expected);
        }
    }
}
