package io.redraft.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis's latency monitor: for each event ("command", "fast-command"...) the latest samples
 * (time in seconds, latency in ms) above latency-monitor-threshold, at most one per second and
 * 160 per event, and the all-time maximum. Keyspace thread only.
 */
public final class LatencyMonitor {
    static final int HISTORY = 160;

    public record Sample(long timeSeconds, long latencyMillis) {
    }

    /** The samples of one event, oldest first. */
    public static final class Series {
        private final List<Sample> samples = new ArrayList<>();
        private long max;

        void add(long time, long ms) {
            max = Math.max(max, ms);
            int n = samples.size();
            if (n > 0 && samples.get(n - 1).timeSeconds() == time) {
                Sample last = samples.get(n - 1);
                samples.set(n - 1, new Sample(time, Math.max(last.latencyMillis(), ms)));
                return;
            }
            if (n == HISTORY) {
                samples.remove(0);
            }
            samples.add(new Sample(time, ms));
        }

        public List<Sample> samples() {
            return samples;
        }

        public Sample latest() {
            return samples.get(samples.size() - 1);
        }

        public long max() {
            return max;
        }
    }

    private final Map<String, Series> events = new LinkedHashMap<>();
    private volatile long thresholdMillis;

    LatencyMonitor(ServerConfig config) {
        ConfigParameter p = config.parameter("latency-monitor-threshold");
        thresholdMillis = Long.parseLong(p.value());
        p.onChange(v -> thresholdMillis = Long.parseLong(v));
    }

    public long thresholdMillis() {
        return thresholdMillis;
    }

    /** Records a sample if monitoring is on and it reaches the threshold. */
    public void addSampleIfNeeded(String event, long millis) {
        long t = thresholdMillis;
        if (t > 0 && millis >= t) {
            events.computeIfAbsent(event, e -> new Series()).add(System.currentTimeMillis() / 1000, millis);
        }
    }

    public Map<String, Series> events() {
        return events;
    }

    /** Drops the given events' history (all when none given); returns how many were dropped. */
    public int reset(List<String> names) {
        if (names.isEmpty()) {
            int n = events.size();
            events.clear();
            return n;
        }
        int n = 0;
        for (String name : names) {
            if (events.remove(name) != null) {
                n++;
            }
        }
        return n;
    }
}
