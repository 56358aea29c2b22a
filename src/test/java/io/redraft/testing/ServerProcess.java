package io.redraft.testing;

import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Redraft node in its own JVM ({@code io.redraft.server.Main} on this JVM's class path), bound to
 * 127.0.0.1, for tests that must kill the process for real: {@code kill -9}, SIGTERM, two processes
 * on one data directory.
 *
 * <p>The child is started with {@code --port 0} and its real port is read from its own
 * "ready to accept connections on host:port" log line, so there is no window in which another
 * process on this shared machine can take a port we picked. Its stdout and stderr go to a file
 * under {@code target/server-logs/} that is never deleted, so the log of a failed test is there to
 * read; every failure message of this class quotes the file and its last lines.
 *
 * <p>Every process is registered until it has exited: {@link ServerProcessReaper} kills the ones a
 * test class leaves behind, and a shutdown hook of this JVM kills any that are still alive, so a
 * failing or timed-out test never leaks a server.
 */
public final class ServerProcess implements AutoCloseable {
    /** Written by RedraftServer.start once the client port is bound. */
    private static final Pattern READY = Pattern.compile("ready to accept connections on \\S+:(\\d+)");
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<ServerProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger SEQ = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ServerProcess::killAll, "kill-server-processes"));
    }

    private final Process process;
    private final Path dir;
    private final Path log;
    private volatile int port;

    private ServerProcess(Process process, Path dir, Path log) {
        this.process = process;
        this.dir = dir;
        this.log = log;
    }

    /**
     * Starts a node with its data in {@code dir}; {@code extra} are further {@code --name value}
     * arguments. Returns at once: call {@link #awaitReady} before talking to it.
     */
    public static ServerProcess start(Path dir, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.add("io.redraft.server.Main");
        cmd.addAll(List.of("--port", "0", "--dir", dir.toString(), "--bind", "127.0.0.1"));
        cmd.addAll(List.of(extra));
        Path log = newLogFile();
        Files.writeString(log, String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        ServerProcess sp = new ServerProcess(p, dir, log);
        LIVE.add(sp);
        return sp;
    }

    /** Starts a node in {@code dir} and waits until it answers PING. */
    public static ServerProcess startReady(Path dir, String... extra) throws IOException {
        ServerProcess sp = start(dir, extra);
        try {
            sp.awaitReady(Duration.ofSeconds(60));
        } catch (RuntimeException | Error e) {
            sp.close();
            throw e;
        }
        return sp;
    }

    /**
     * {@code java} with the flags the child needs: the --add-opens/--add-exports and Chronicle
     * properties this JVM got from surefire's argLine (the pom's {@code jvm.opens}, one source of
     * truth), start-up friendly JIT and GC settings, the main logging configuration instead of the tests' quiet one (test-classes come
     * first on the class path), and this JVM's class path.
     */
    static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> ours = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < ours.size(); i++) {
            String a = ours.get(i);
            if (a.startsWith("--add-opens") || a.startsWith("--add-exports")) {
                cmd.add(a);
                if (!a.contains("=") && i + 1 < ours.size()) {
                    cmd.add(ours.get(++i)); // the "--add-opens value" spelling
                }
            } else if (a.startsWith("-Dchronicle.")) {
                cmd.add(a);
            }
        }
        // Tests start many short-lived servers on a small, shared machine: C1 only and the serial
        // collector start about a third faster (measured) and do not change what the server does.
        cmd.addAll(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        cmd.add("-Dlogback.configurationFile=logback.xml");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return cmd;
    }

    private static Path newLogFile() throws IOException {
        Path logs = Path.of(System.getProperty("basedir", "."), "target", "server-logs");
        Files.createDirectories(logs);
        String test = ServerProcessReaper.currentTest().replaceAll("[^A-Za-z0-9_.-]+", "_");
        return logs.resolve(test + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + ".log");
    }

    /**
     * Waits until the node has bound its port and answers PING, failing early (with its log) if it
     * exits first.
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with code " + process.exitValue()
                        + " before it was ready" + describe());
            }
            if (port == 0) {
                Matcher m = READY.matcher(logText());
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            if (port != 0 && answersPing()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("server not ready after " + timeout + describe());
            }
            pause(50);
        }
    }

    private boolean answersPing() {
        try (Jedis j = new Jedis("127.0.0.1", port, 2_000)) {
            return "PONG".equals(j.ping());
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    /** The client port; known once {@link #awaitReady} has returned. */
    public int port() {
        if (port == 0) {
            throw new IllegalStateException("port not known yet: call awaitReady first");
        }
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path dir() {
        return dir;
    }

    public Path logFile() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** A new Jedis connection with a 10 s socket timeout (tests never hang). */
    public Jedis jedis() {
        return new Jedis("127.0.0.1", port(), 10_000);
    }

    /** SIGKILL (Process.destroyForcibly on Linux): no shutdown hook, no flush; waits until it is gone. */
    public int kill9() {
        process.destroyForcibly();
        return awaitExit(EXIT_TIMEOUT);
    }

    /** SIGTERM (Process.destroy on Linux) and waits for the exit code; fails if it takes longer than timeout. */
    public int terminate(Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    /**
     * Waits for the process to exit by itself and returns its exit code; if it is still running
     * after timeout, kills it and fails.
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError("server pid " + pid() + " did not exit within " + timeout
                        + " (killed)" + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(e);
        } finally {
            if (!process.isAlive()) {
                LIVE.remove(this);
            }
        }
        return process.exitValue();
    }

    /** SIGSTOP: the process freezes (sockets stay open, nothing answers) until {@link #resume}. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything the child has written so far (plus the command line on the first line). */
    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** For failure messages: pid, log file and its last lines. */
    public String describe() {
        String text = logText();
        String[] lines = text.split("\n");
        int from = Math.max(1, lines.length - 30); // line 0 is the (long) command line
        StringBuilder sb = new StringBuilder("\n  pid ").append(pid()).append(", dir ").append(dir)
                .append(", log ").append(log).append(", last lines:");
        for (int i = from; i < lines.length; i++) {
            sb.append("\n  | ").append(lines[i]);
        }
        return sb.toString();
    }

    /** Always kills: a test that wants a clean stop calls {@link #terminate} first. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
        LIVE.remove(this);
    }

    /** Kills every server process of this JVM that is still alive; returns how many there were. */
    static int killAll() {
        int n = 0;
        for (ServerProcess sp : LIVE) {
            if (sp.isAlive()) {
                n++;
                ProcessHandle.of(sp.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        for (ServerProcess sp : LIVE) {
            try {
                sp.process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            LIVE.remove(sp);
        }
        return n;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
