package io.redraft.jepsen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the list-append workload, Jepsen's: transactions (MULTI/EXEC) of RPUSHes of unique values
 * and LRANGE 0 -1 reads over several keys, and single RPUSH / LRANGE commands (transactions of one),
 * against the final list of each key, read after the faults stopped.
 *
 * <p>Per key:
 * <ul>
 * <li>no list ever holds a value twice, or a value that no append wrote, or one whose append
 *     failed for certain;</li>
 * <li>every acknowledged append is in the final list exactly once, at the position its reply
 *     (the new length) announced;</li>
 * <li>every read is a prefix of the final list (appends only ever go to the end);</li>
 * <li>inside a transaction the micro-operations on a key see each other: a read sees the list as
 *     the transaction's earlier appends left it, an append lands right after what it read;</li>
 * <li>real time: an operation that began after another one ended sees at least as much of the
 *     list (a read contains every append acknowledged before it began, is not shorter than a read
 *     that ended before it began; an append lands after them).</li>
 * </ul>
 * Per transaction, across keys:
 * <ul>
 * <li>atomicity: an unacknowledged (INFO) transaction's appends are all in the final lists or none
 *     is; a transaction's appends to one key are contiguous; no other transaction reads a list
 *     between two appends of one transaction (intermediate read);</li>
 * <li>serializability: the order each key's list gives its transactions (appends by position; a
 *     read after the append that made its length and before the next one) has no cycle.</li>
 * </ul>
 */
public final class ListAppendChecker {
    private ListAppendChecker() {
    }

    /** Where one transaction stands on one key: the list length it started from and left. */
    private static final class Span {
        final Op txn;
        int start = -1;
        int end = -1;
        boolean appended;

        Span(Op txn) {
            this.txn = txn;
        }
    }

    /** Anomalies found, one line (or paragraph) each; empty when the history is valid. */
    public static List<String> check(List<Op> ops, Map<String, List<String>> finalLists) {
        List<Op> txns = new ArrayList<>();
        Map<String, Op> appendOf = new HashMap<>();
        Set<String> keys = new java.util.TreeSet<>();
        for (Op op : ops) {
            List<Op.Micro> micros = op.micros();
            if (micros.isEmpty()) {
                continue;
            }
            txns.add(op);
            for (Op.Micro m : micros) {
                keys.add(m.key());
                if (m.f() == Op.F.APPEND) {
                    appendOf.put(m.value(), op);
                }
            }
        }
        List<String> anomalies = new ArrayList<>();
        long origin = ops.stream().mapToLong(Op::invokeNanos).min().orElse(0);
        Map<String, Map<String, Integer>> positions = new HashMap<>();
        for (String key : keys) {
            List<String> fin = finalLists.get(key);
            if (fin == null) {
                anomalies.add("key " + key + ": no final read");
                continue;
            }
            checkList(key, "final read", fin, appendOf, origin, anomalies);
            Map<String, Integer> position = new HashMap<>();
            for (int i = 0; i < fin.size(); i++) {
                position.putIfAbsent(fin.get(i), i);
            }
            positions.put(key, position);
        }
        // Each transaction's span on each key it touched (OK ones from their replies, INFO ones
        // from where their appends landed); INFO ones also checked for partial application.
        Map<String, List<Span>> spans = new LinkedHashMap<>();
        for (Op t : txns) {
            Map<String, Span> mine = switch (t.status()) {
                case OK -> okSpans(t, finalLists, positions, appendOf, origin, anomalies);
                case INFO -> infoSpans(t, positions, origin, anomalies);
                case FAIL -> Map.of();
            };
            mine.forEach((k, s) -> spans.computeIfAbsent(k, x -> new ArrayList<>()).add(s));
        }
        spans.forEach((key, list) -> {
            checkIntermediateReads(key, list, origin, anomalies);
            checkRealTime(key, list, origin, anomalies);
        });
        checkCycles(spans, origin, anomalies);
        return anomalies;
    }

    /** An acknowledged transaction: its micro-operations against the final list and each other. */
    private static Map<String, Span> okSpans(Op t, Map<String, List<String>> finalLists,
                                             Map<String, Map<String, Integer>> positions, Map<String, Op> appendOf,
                                             long origin, List<String> anomalies) {
        Map<String, Span> mine = new LinkedHashMap<>();
        for (Op.Micro m : t.micros()) {
            String key = m.key();
            List<String> fin = finalLists.get(key);
            if (fin == null) {
                continue;
            }
            Span s = mine.computeIfAbsent(key, k -> new Span(t));
            int length;
            if (m.f() == Op.F.APPEND) {
                long announced = (Long) m.result() - 1;
                Integer at = positions.get(key).get(m.value());
                if (at == null) {
                    anomalies.add("key " + key + ": acknowledged append lost (not in the final read): " + t.describe(origin));
                } else if (at != announced) {
                    anomalies.add("key " + key + ": acknowledged append at index " + at + " of the final read, but its reply"
                            + " announced index " + announced + ": " + t.describe(origin));
                }
                if (s.end >= 0 && announced != s.end) {
                    anomalies.add("key " + key + ": append at index " + announced + " but the transaction's previous"
                            + " operation on the key left it " + s.end + " long: " + t.describe(origin));
                }
                s.appended = true;
                if (s.start < 0) {
                    s.start = (int) announced;
                }
                length = (int) announced + 1;
            } else {
                List<String> seen = m.listResult();
                checkList(key, "read", seen, appendOf, origin, anomalies);
                if (seen.size() > fin.size() || !fin.subList(0, seen.size()).equals(seen)) {
                    anomalies.add("key " + key + ": read is not a prefix of the final read " + fin + ": " + t.describe(origin));
                }
                if (s.end >= 0 && seen.size() != s.end) {
                    anomalies.add("key " + key + ": read of " + seen.size() + " elements but the transaction's previous"
                            + " operation on the key left it " + s.end + " long: " + t.describe(origin));
                }
                if (s.start < 0) {
                    s.start = seen.size();
                }
                length = seen.size();
            }
            s.end = length;
        }
        return mine;
    }

    /**
     * A transaction whose outcome is unknown: all its appends landed or none did; those that did
     * are contiguous per key, and give its span there.
     */
    private static Map<String, Span> infoSpans(Op t, Map<String, Map<String, Integer>> positions, long origin,
                                               List<String> anomalies) {
        Map<String, List<Integer>> landed = new LinkedHashMap<>();
        int appends = 0;
        for (Op.Micro m : t.micros()) {
            if (m.f() != Op.F.APPEND || !positions.containsKey(m.key())) {
                continue;
            }
            appends++;
            Integer at = positions.get(m.key()).get(m.value());
            if (at != null) {
                landed.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(at);
            }
        }
        int found = landed.values().stream().mapToInt(List::size).sum();
        if (found > 0 && found < appends) {
            anomalies.add("partially applied transaction: " + found + " of its " + appends + " appends are in the final"
                    + " lists " + landed + ": " + t.describe(origin));
        }
        Map<String, Span> mine = new LinkedHashMap<>();
        landed.forEach((key, at) -> {
            for (int i = 1; i < at.size(); i++) {
                if (at.get(i) != at.get(i - 1) + 1) {
                    anomalies.add("key " + key + ": the appends of one transaction are not contiguous in the final read"
                            + " (indexes " + at + "): " + t.describe(origin));
                    return;
                }
            }
            Span s = new Span(t);
            s.start = at.get(0);
            s.end = at.get(at.size() - 1) + 1;
            s.appended = true;
            mine.put(key, s);
        });
        return mine;
    }

    /** No transaction reads a key between two appends another transaction made to it. */
    private static void checkIntermediateReads(String key, List<Span> spans, long origin, List<String> anomalies) {
        Map<Integer, Span> inside = new HashMap<>();
        for (Span s : spans) {
            if (s.appended) {
                for (int l = s.start + 1; l < s.end; l++) {
                    inside.put(l, s);
                }
            }
        }
        if (inside.isEmpty()) {
            return;
        }
        for (Span s : spans) {
            if (s.txn.status() != Op.Status.OK) {
                continue;
            }
            for (Op.Micro m : s.txn.micros()) {
                if (m.f() == Op.F.READ_LIST && m.key().equals(key)) {
                    Span w = inside.get(m.listResult().size());
                    if (w != null && w.txn != s.txn) {
                        anomalies.add("key " + key + ": intermediate read: it saw part of another transaction's appends:\n  "
                                + w.txn.describe(origin) + "\n  " + s.txn.describe(origin));
                    }
                }
            }
        }
    }

    /**
     * Whatever began after an acknowledged operation ended starts from a list at least as long as
     * that operation left it.
     */
    private static void checkRealTime(String key, List<Span> spans, long origin, List<String> anomalies) {
        List<Span> byEnd = new ArrayList<>();
        for (Span s : spans) {
            if (s.txn.isOk()) {
                byEnd.add(s);
            }
        }
        byEnd.sort(Comparator.comparingLong(s -> s.txn.completeNanos()));
        List<Span> byStart = new ArrayList<>(spans);
        byStart.sort(Comparator.comparingLong(s -> s.txn.invokeNanos()));
        Span longestAppend = null;
        Span longestRead = null;
        int next = 0;
        for (Span u : byStart) {
            while (next < byEnd.size() && byEnd.get(next).txn.completeNanos() < u.txn.invokeNanos()) {
                Span t = byEnd.get(next++);
                if (t.appended && (longestAppend == null || t.end > longestAppend.end)) {
                    longestAppend = t;
                }
                if (!t.appended && (longestRead == null || t.end > longestRead.end)) {
                    longestRead = t;
                }
            }
            String what = u.appended ? "append lands before the end of" : "stale read misses";
            if (longestAppend != null && u.start < longestAppend.end) {
                anomalies.add("key " + key + ": " + what + " an append acknowledged before it began:\n  "
                        + longestAppend.txn.describe(origin) + "\n  " + u.txn.describe(origin));
            }
            if (longestRead != null && u.start < longestRead.end) {
                anomalies.add("key " + key + ": " + (u.appended ? "append lands before the end of a read"
                        : "read is shorter than a read") + " that completed before it began:\n  "
                        + longestRead.txn.describe(origin) + "\n  " + u.txn.describe(origin));
            }
        }
    }

    /**
     * The order of transactions on each key — appends by position, a read after the append that
     * made the length it saw and before the next append — must be acyclic across all keys.
     */
    private static void checkCycles(Map<String, List<Span>> spans, long origin, List<String> anomalies) {
        Map<Op, List<Op>> edges = new IdentityHashMap<>();
        spans.forEach((key, list) -> {
            List<Span> appenders = new ArrayList<>();
            for (Span s : list) {
                if (s.appended) {
                    appenders.add(s);
                }
            }
            appenders.sort(Comparator.comparingInt(s -> s.start));
            Map<Integer, Span> endingAt = new HashMap<>();
            Map<Integer, Span> startingAt = new HashMap<>();
            for (int i = 0; i < appenders.size(); i++) {
                Span a = appenders.get(i);
                endingAt.put(a.end, a);
                startingAt.put(a.start, a);
                if (i > 0) {
                    edge(edges, appenders.get(i - 1).txn, a.txn);
                }
            }
            for (Span r : list) {
                if (!r.appended) {
                    Span before = endingAt.get(r.start);
                    Span after = startingAt.get(r.start);
                    if (before != null) {
                        edge(edges, before.txn, r.txn);
                    }
                    if (after != null) {
                        edge(edges, r.txn, after.txn);
                    }
                }
            }
        });
        for (List<Op> cycle : stronglyConnected(edges)) {
            StringBuilder sb = new StringBuilder("transactions in a cycle (not serializable; ").append(cycle.size())
                    .append(" of them):");
            cycle.stream().limit(8).forEach(t -> sb.append("\n  ").append(t.describe(origin)));
            anomalies.add(sb.toString());
        }
    }

    private static void edge(Map<Op, List<Op>> edges, Op from, Op to) {
        if (from != to) {
            edges.computeIfAbsent(from, k -> new ArrayList<>()).add(to);
            edges.computeIfAbsent(to, k -> new ArrayList<>());
        }
    }

    /** Tarjan's algorithm, iterative (histories are long): the components of more than one node. */
    private static List<List<Op>> stronglyConnected(Map<Op, List<Op>> edges) {
        Map<Op, Integer> index = new IdentityHashMap<>();
        Map<Op, Integer> low = new IdentityHashMap<>();
        Set<Op> onStack = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Op> stack = new ArrayDeque<>();
        List<List<Op>> found = new ArrayList<>();
        int counter = 0;
        for (Op root : edges.keySet()) {
            if (index.containsKey(root)) {
                continue;
            }
            Deque<Object[]> work = new ArrayDeque<>(); // {node, next edge position}
            work.push(new Object[]{root, 0});
            index.put(root, counter);
            low.put(root, counter++);
            stack.push(root);
            onStack.add(root);
            while (!work.isEmpty()) {
                Object[] frame = work.peek();
                Op v = (Op) frame[0];
                List<Op> out = edges.get(v);
                int i = (Integer) frame[1];
                if (i < out.size()) {
                    frame[1] = i + 1;
                    Op w = out.get(i);
                    if (!index.containsKey(w)) {
                        index.put(w, counter);
                        low.put(w, counter++);
                        stack.push(w);
                        onStack.add(w);
                        work.push(new Object[]{w, 0});
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    Op parent = (Op) work.peek()[0];
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    List<Op> component = new ArrayList<>();
                    Op w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (w != v);
                    if (component.size() > 1) {
                        found.add(component);
                    }
                }
            }
        }
        return found;
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
