package io.redraft.testing;

import io.redraft.server.RedraftServer;
import io.redraft.server.ServerConfig;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An in-process Redraft node on 127.0.0.1 and an ephemeral port, with its data in a temporary
 * directory that is deleted on close.
 */
public final class TestServer implements AutoCloseable {
    private final RedraftServer server;
    private final Path dir;
    private final int port;
    private final boolean ownsDir;

    private TestServer(RedraftServer server, Path dir, int port, boolean ownsDir) {
        this.server = server;
        this.dir = dir;
        this.port = port;
        this.ownsDir = ownsDir;
    }

    /** Starts a node; extra is name/value pairs of configuration, e.g. "requirepass", "secret". */
    public static TestServer start(String... extra) {
        try {
            return start(Files.createTempDirectory("redraft-test"), true, extra);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a node on an existing data directory, which close() leaves in place (restart tests). */
    public static TestServer startIn(Path dir, String... extra) {
        return start(dir, false, extra);
    }

    private static TestServer start(Path dir, boolean ownsDir, String... extra) {
        try {
            ServerConfig config = ServerConfig.fromArgs("--port", "0", "--bind", "127.0.0.1", "--dir", dir.toString());
            for (int i = 0; i + 1 < extra.length; i += 2) {
                config.set(extra[i], extra[i + 1]);
            }
            RedraftServer server = new RedraftServer(config);
            int port = server.start();
            return new TestServer(server, dir, port, ownsDir);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public RedraftServer server() {
        return server;
    }

    /** A new Jedis connection with a 10 s socket timeout (tests never hang). */
    public Jedis jedis() {
        return new Jedis("127.0.0.1", port, 10_000);
    }

    @Override
    public void close() {
        server.close();
        if (!ownsDir) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
