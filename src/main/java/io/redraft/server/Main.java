package io.redraft.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

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
        // Any other way the JVM exits still closes the node; after a clean stop close() is a no-op.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        // Like redis-server, SIGTERM and SIGINT are a clean shutdown that exits 0: left to the JVM
        // they would run the hook above but exit with 128 + the signal number.
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), s -> {
                log.info("Received SIG{} scheduling shutdown...", s.getName());
                server.context().requestShutdown();
            });
        }
        try {
            server.start();
        } catch (Exception e) {
            log.error("could not start: {}", causes(e));
            stopLogging();
            System.exit(1);
        }
        server.awaitTermination();
        stopLogging();
    }

    /** The exception and its causes on one line: the reason a start failed is often a cause. */
    private static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder(e.toString());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(", caused by ").append(c);
        }
        return sb.toString();
    }

    /** Logging is asynchronous: stopping logback flushes the last lines before the JVM exits. */
    private static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext lc) {
            lc.stop();
        }
    }
}
