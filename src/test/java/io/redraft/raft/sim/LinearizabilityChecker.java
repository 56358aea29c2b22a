package io.redraft.raft.sim;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks that a history of register operations (per key: write v / read -> v) is linearizable.
 *
 * <p>Wing &amp; Gong search with Lowe's memoization, as in Knossos/Porcupine: walk the history in
 * real-time order; at each point try to linearize one of the pending calls that has been invoked,
 * remembering (set of linearized ops, register value) configurations already explored; backtrack
 * when a return is reached whose op has not been linearized. Keys are independent registers, so the
 * history is partitioned per key (P-compositionality), which keeps each search small.
 *
 * <p>Operations whose outcome is unknown (client timed out, node crashed) are given a return time of
 * +infinity: they may take effect at any point after their invocation, or never (only writes matter;
 * reads without answer are dropped by the recorder because they have no effect).
 */
public final class LinearizabilityChecker {

    /** One completed or indeterminate operation. Times are strictly increasing event sequence numbers. */
    public record Op(int key, boolean write, Long value, long invoke, long ret) {
        public static final long UNKNOWN = Long.MAX_VALUE;
    }

    /** Result with a human readable reason for failure. */
    public record Result(boolean ok, String detail) { }

    public static Result check(List<Op> history) {
        // An indeterminate write whose (unique) value no read ever returned may be assumed never to
        // have happened: dropping it cannot change any read's value in a linearization. This prunes
        // the worst source of search blow-up.
        Set<String> observed = new HashSet<>();
        for (Op op : history) if (!op.write()) observed.add(op.key() + "=" + op.value());
        Map<Integer, List<Op>> byKey = new TreeMap<>();
        for (Op op : history) {
            if (op.write() && op.ret() == Op.UNKNOWN && !observed.contains(op.key() + "=" + op.value())) continue;
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        for (Map.Entry<Integer, List<Op>> e : byKey.entrySet()) {
            if (!checkRegister(e.getValue())) return new Result(false, "key " + e.getKey() + " not linearizable: " + e.getValue());
        }
        return new Result(true, "");
    }

    private static final class Node {
        final int op; final boolean call; Node prev, next; Node match;
        Node(int op, boolean call) { this.op = op; this.call = call; }
    }

    private record Config(BitSet linearized, Long value) { }

    /** Single-register check. Initial value is null (absent key). */
    static boolean checkRegister(List<Op> ops) {
        int n = ops.size();
        if (n == 0) return true;
        // Build the event list: (time, isReturn, op). Calls sort before returns at equal times never happen
        // because times are unique sequence numbers; UNKNOWN returns sort last in op order.
        List<long[]> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Op op = ops.get(i);
            if (op.ret() <= op.invoke()) throw new IllegalArgumentException("return before invoke: " + op);
            events.add(new long[] {op.invoke(), 0, i});
            events.add(new long[] {op.ret(), 1, i});
        }
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[2], b[2]));
        Node head = new Node(-1, false);
        Node tail = head;
        Node[] calls = new Node[n];
        for (long[] ev : events) {
            Node x = new Node((int) ev[2], ev[1] == 0);
            tail.next = x; x.prev = tail; tail = x;
            if (x.call) calls[x.op] = x; else { calls[x.op].match = x; x.match = calls[x.op]; }
        }

        Set<Config> cache = new HashSet<>();
        ArrayList<Node> stackNode = new ArrayList<>();
        ArrayList<Long> stackValue = new ArrayList<>();
        BitSet linearized = new BitSet(n);
        Long value = null;
        Node entry = head.next;
        while (head.next != null) {
            if (entry.call) {
                Op op = ops.get(entry.op);
                boolean ok;
                Long newValue;
                if (op.write()) { ok = true; newValue = op.value(); }
                else { ok = Objects.equals(op.value(), value); newValue = value; }
                if (ok) {
                    BitSet next = (BitSet) linearized.clone();
                    next.set(entry.op);
                    if (cache.add(new Config(next, newValue))) {
                        stackNode.add(entry);
                        stackValue.add(value);
                        value = newValue;
                        linearized = next;
                        lift(entry);
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
            } else {
                if (stackNode.isEmpty()) return false;
                Node top = stackNode.remove(stackNode.size() - 1);
                value = stackValue.remove(stackValue.size() - 1);
                linearized = (BitSet) linearized.clone();
                linearized.clear(top.op);
                unlift(top);
                entry = top.next;
            }
        }
        return true;
    }

    private static void lift(Node call) {
        call.prev.next = call.next;
        if (call.next != null) call.next.prev = call.prev;
        Node ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) ret.next.prev = ret.prev;
    }

    private static void unlift(Node call) {
        Node ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) ret.next.prev = ret;
        call.prev.next = call;
        if (call.next != null) call.next.prev = call;
    }
}
