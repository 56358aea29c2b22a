package io.redraft.server;

import io.redraft.cluster.CommandExecutor;
import io.redraft.command.CommandTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One Redraft node: its configuration, keyspace thread and client port, started and stopped together. */
public final class RedraftServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedraftServer.class);

    private final ServerContext context;
    private final CommandExecutor executor;
    private final ClientPort clientPort;
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

    public RedraftServer(ServerConfig config) {
        this.context = new ServerContext(config, CommandTable.standard());
        this.executor = new CommandExecutor(context);
        this.clientPort = new ClientPort(context, Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        context.onShutdown(this::close);
    }

    /** Starts serving; returns the bound client port. */
    public int start() throws IOException, InterruptedException {
        Path dir = Path.of(context.config().get("dir"));
        Files.createDirectories(dir);
        executor.start();
        int port = clientPort.bind(context.config().get("bind").split("\\s+")[0], context.config().getInt("port"));
        context.port(port);
        log.info("Redraft {} ready to accept connections on {}:{} ({}), data in {}", ServerContext.REDRAFT_VERSION,
                context.config().get("bind"), port, clientPort.usesEpoll() ? "epoll" : "nio", dir.toAbsolutePath());
        return port;
    }

    public ServerContext context() {
        return context;
    }

    public int port() {
        return context.port();
    }

    /** Blocks until the node has been closed (the server's threads are daemons: main waits here). */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public synchronized void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        log.info("Shutting down: closing the client port and the keyspace thread");
        clientPort.close();
        executor.shutdown();
        stopped.countDown();
        log.info("Redraft is now ready to exit, bye bye...");
    }
}
