package io.redraft.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Redis's slow log: commands whose execution took longer than slowlog-log-slower-than
 * microseconds, newest first, at most slowlog-max-len of them. Written and read on the keyspace
 * thread only; the thresholds are cached from the configuration so the per-command check is
 * one comparison.
 */
public final class SlowLog {
    /** Redis keeps at most this many arguments of a logged command... */
    static final int MAX_ARGC = 32;
    /** ...and at most this many bytes of each. */
    static final int MAX_ARG_LEN = 128;

    public record Entry(long id, long timestampSeconds, long micros, byte[][] argv, String addr, String name) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private volatile long slowerThan;
    private volatile long maxLen;
    private long nextId;

    SlowLog(ServerConfig config) {
        ConfigParameter threshold = config.parameter("slowlog-log-slower-than");
        ConfigParameter max = config.parameter("slowlog-max-len");
        slowerThan = Long.parseLong(threshold.value());
        maxLen = Long.parseLong(max.value());
        threshold.onChange(v -> slowerThan = Long.parseLong(v));
        max.onChange(v -> {
            maxLen = Long.parseLong(v);
            trim();
        });
    }

    /** True when a call of this many microseconds belongs in the log (cheap: called per command). */
    public boolean isSlow(long micros) {
        long t = slowerThan;
        return t >= 0 && micros >= t;
    }

    /** Adds an entry for argv, trimmed as Redis trims it. */
    public void record(byte[][] argv, long micros, ClientSession session) {
        int argc = Math.min(argv.length, MAX_ARGC);
        byte[][] kept = new byte[argc][];
        for (int i = 0; i < argc; i++) {
            if (argc != argv.length && i == argc - 1) {
                kept[i] = ("... (" + (argv.length - argc + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII);
            } else if (argv[i].length > MAX_ARG_LEN) {
                byte[] b = java.util.Arrays.copyOf(argv[i], MAX_ARG_LEN);
                byte[] suffix = ("... (" + (argv[i].length - MAX_ARG_LEN) + " more bytes)").getBytes(StandardCharsets.US_ASCII);
                byte[] all = java.util.Arrays.copyOf(b, b.length + suffix.length);
                System.arraycopy(suffix, 0, all, b.length, suffix.length);
                kept[i] = all;
            } else {
                kept[i] = argv[i];
            }
        }
        entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, micros, kept,
                session == null ? "" : session.addr(), session == null ? "" : session.name()));
        trim();
    }

    private void trim() {
        while (entries.size() > maxLen) {
            entries.pollLast();
        }
    }

    public int size() {
        return entries.size();
    }

    /** Newest first. */
    public Iterator<Entry> iterator() {
        return entries.iterator();
    }

    public void reset() {
        entries.clear();
    }
}
