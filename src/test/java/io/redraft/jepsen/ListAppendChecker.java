package io.redraft.jepsen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the list-append workload (RPUSH of unique values, LRANGE 0 -1 reads) against the final
 * list of each key, read after the faults stopped:
 * <ul>
 * <li>no list ever holds a value twice, or a value that no append wrote, or one whose append
 *     failed for certain;</li>
 * <li>every acknowledged append is in the final list exactly once, at the position its reply
 *     (the new length) announced;</li>
 * <li>every read is a prefix of the final list (appends only ever go to the end, so any other
 *     order is an anomaly);</li>
 * <li>real time: a read contains every append acknowledged before it began, and is at least as
 *     long as every read that completed before it began (no stale reads).</li>
 * </ul>
 */
public final class ListAppendChecker {
    private ListAppendChecker() {
    }

    /** Anomalies found, one line (or paragraph) each; empty when the history is valid. */
    public static List<String> check(List<Op> ops, Map<String, List<String>> finalLists) {
        Map<String, List<Op>> byKey = new HashMap<>();
        for (Op op : ops) {
            if (op.f() == Op.F.APPEND || op.f() == Op.F.READ_LIST) {
                byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        List<String> anomalies = new ArrayList<>();
        long origin = ops.stream().mapToLong(Op::invokeNanos).min().orElse(0);
        for (Map.Entry<String, List<Op>> e : byKey.entrySet()) {
            List<String> fin = finalLists.get(e.getKey());
            if (fin == null) {
                anomalies.add("key " + e.getKey() + ": no final read");
                continue;
            }
            checkKey(e.getKey(), e.getValue(), fin, origin, anomalies);
        }
        return anomalies;
    }

    private static void checkKey(String key, List<Op> ops, List<String> fin, long origin, List<String> anomalies) {
        Map<String, Op> appendOf = new HashMap<>();
        List<Op> reads = new ArrayList<>();
        List<Op> okAppends = new ArrayList<>();
        for (Op op : ops) {
            if (op.f() == Op.F.APPEND) {
                appendOf.put(op.value(), op);
                if (op.isOk()) {
                    okAppends.add(op);
                }
            } else if (op.isOk()) {
                reads.add(op);
            }
        }
        checkList(key, "final read", fin, appendOf, origin, anomalies);
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < fin.size(); i++) {
            position.putIfAbsent(fin.get(i), i);
        }
        for (Op a : okAppends) {
            Integer at = position.get(a.value());
            long announced = (Long) a.result() - 1;
            if (at == null) {
                anomalies.add("key " + key + ": acknowledged append lost (not in the final read): " + a.describe(origin));
            } else if (at != announced) {
                anomalies.add("key " + key + ": acknowledged append at index " + at + " of the final read, but its reply"
                        + " announced index " + announced + ": " + a.describe(origin));
            }
        }
        for (Op r : reads) {
            List<String> seen = r.listResult();
            checkList(key, "read", seen, appendOf, origin, anomalies);
            if (seen.size() > fin.size() || !fin.subList(0, seen.size()).equals(seen)) {
                anomalies.add("key " + key + ": read is not a prefix of the final read " + fin + ": " + r.describe(origin));
            }
            Set<String> in = new HashSet<>(seen);
            for (Op a : okAppends) {
                if (a.completeNanos() < r.invokeNanos() && !in.contains(a.value())) {
                    anomalies.add("key " + key + ": stale read misses an append acknowledged before it began:\n  "
                            + a.describe(origin) + "\n  " + r.describe(origin));
                }
            }
            for (Op earlier : reads) {
                if (earlier.completeNanos() < r.invokeNanos() && earlier.listResult().size() > seen.size()) {
                    anomalies.add("key " + key + ": read is shorter than a read that completed before it began:\n  "
                            + earlier.describe(origin) + "\n  " + r.describe(origin));
                }
            }
        }
    }

    /** No duplicates, nothing never written, nothing whose append failed for certain. */
    private static void checkList(String key, String what, List<String> list, Map<String, Op> appendOf, long origin,
                                  List<String> anomalies) {
        Set<String> seen = new HashSet<>();
        for (String v : list) {
            if (!seen.add(v)) {
                anomalies.add("key " + key + ": " + what + " holds " + v + " twice: " + list);
            }
            Op a = appendOf.get(v);
            if (a == null) {
                anomalies.add("key " + key + ": " + what + " holds " + v + ", which no append wrote: " + list);
            } else if (a.status() == Op.Status.FAIL) {
                anomalies.add("key " + key + ": " + what + " holds " + v + ", whose append failed for certain: "
                        + a.describe(origin));
            }
        }
    }
}
