package io.redraft.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command-line entry point: {@code redraft-server [config-file] [--name value ...]}, as redis-server. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config;
        try {
            config = ServerConfig.fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        RedraftServer server = new RedraftServer(config);
        // SIGTERM/SIGINT run this hook; after SHUTDOWN the server is already closed and close() is a no-op.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        try {
            server.start();
        } catch (Exception e) {
            log.error("could not start: {}", e.toString());
            System.exit(1);
        }
        server.awaitTermination();
        // Logging is asynchronous: stopping logback flushes the last lines before the JVM exits.
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext lc) {
            lc.stop();
        }
    }
}
