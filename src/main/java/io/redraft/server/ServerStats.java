package io.redraft.server;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Server-wide counters reported by INFO stats; event-loop counters are thread-safe adders. */
public final class ServerStats {
    public final AtomicLong totalConnections = new AtomicLong();
    public final AtomicLong rejectedConnections = new AtomicLong();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    /** Commands processed; incremented by the keyspace thread only. */
    public volatile long commandsProcessed;
    public volatile long totalErrorReplies;
    /** Error replies by their first word (ERR, WRONGTYPE…), for INFO errorstats; keyspace thread only. */
    public final java.util.Map<String, Long> errorsByPrefix = new java.util.TreeMap<>();

    /** Counts an error reply (keyspace thread). */
    public void countError(String message) {
        totalErrorReplies++;
        int sp = message.indexOf(' ');
        errorsByPrefix.merge(sp < 0 ? message : message.substring(0, sp), 1L, Long::sum);
    }

    // instantaneous_ops_per_sec: a ring of samples taken every 100 ms (as Redis's trackInstantaneousMetric)
    private static final int SAMPLES = 16;
    private final long[] opsSamples = new long[SAMPLES];
    private int sampleIndex;
    private long lastSampleTime;
    private long lastSampleCount;

    /** Called by the keyspace thread's cron. */
    public void sampleOps(long nowMillis) {
        if (lastSampleTime != 0) {
            long elapsed = Math.max(1, nowMillis - lastSampleTime);
            opsSamples[sampleIndex++ % SAMPLES] = (commandsProcessed - lastSampleCount) * 1000 / elapsed;
        }
        lastSampleTime = nowMillis;
        lastSampleCount = commandsProcessed;
    }

    public long instantaneousOpsPerSec() {
        long sum = 0;
        for (long s : opsSamples) {
            sum += s;
        }
        return sum / SAMPLES;
    }

    public void reset() {
        totalConnections.set(0);
        rejectedConnections.set(0);
        netInputBytes.reset();
        netOutputBytes.reset();
        commandsProcessed = 0;
        totalErrorReplies = 0;
        errorsByPrefix.clear();
    }
}
