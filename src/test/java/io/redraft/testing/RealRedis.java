package io.redraft.testing;

import redis.clients.jedis.Jedis;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (7.0, installed on the machine and in CI) on a free loopback port, for
 * tests that compare Redraft with Redis byte for byte. No persistence. Starting fails, rather
 * than skips, when redis-server is not on PATH: a cross-check that silently does not run
 * checks nothing. {@link #close()} stops the process it started, and only that one.
 */
public final class RealRedis implements AutoCloseable {
    private final Process process;
    private final int port;

    private RealRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RealRedis start() {
        int port = FreePorts.pick();
        ProcessBuilder pb = new ProcessBuilder("redis-server", "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--protected-mode", "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(new File(System.getProperty("java.io.tmpdir"),
                        "redraft-realredis-" + port + ".log")));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server 7.0 must be on PATH for this test", e);
        }
        RealRedis redis = new RealRedis(process, port);
        redis.awaitReady();
        return redis;
    }

    public int port() {
        return port;
    }

    public Jedis jedis() {
        return new Jedis("127.0.0.1", port, 10_000);
    }

    /** Polls PING until the server answers (at most 10 s). */
    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Jedis j = jedis()) {
                if ("PONG".equals(j.ping())) {
                    return;
                }
            } catch (RuntimeException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("redis-server did not start on port " + port, e);
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // poll again
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
