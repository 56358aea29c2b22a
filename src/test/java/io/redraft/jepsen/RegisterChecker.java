package io.redraft.jepsen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Linearizability of one register's history (one key): the Wing–Gong search with Lowe's
 * memoization of (set of linearized operations, register value), as Knossos and Porcupine do it.
 *
 * <p>The history holds reads (GET), writes (SET) and swaps (SET k v GET). A FAIL operation
 * certainly did not take effect and is dropped; an INFO read is dropped too (it changed nothing);
 * an INFO write or swap may have taken effect at any point after its invocation, so it is kept
 * with no completion (it never forces the search back) and a swap's unknown return value matches
 * any state. The history is linearizable when every OK operation can be placed.
 */
public final class RegisterChecker {
    /** Memoized states beyond which the search gives up (reported as inconclusive, not as passed). */
    public static final int DEFAULT_MAX_STATES = 2_000_000;

    public record Result(String key, boolean linearizable, boolean inconclusive, String explanation) {
        public boolean valid() {
            return linearizable && !inconclusive;
        }
    }

    /** An event of the search's list: the call or the return of an operation. */
    private static final class Entry {
        final Op op;
        final int id;
        final boolean call;
        final long time;
        Entry match; // a call's return (null when the operation never completes)
        Entry prev;
        Entry next;

        Entry(Op op, int id, boolean call, long time) {
            this.op = op;
            this.id = id;
            this.call = call;
            this.time = time;
        }
    }

    private record Memo(BitSet linearized, String state) { }

    private record Frame(Entry call, String state) { }

    private RegisterChecker() {
    }

    public static Result check(String key, List<Op> history) {
        return check(key, history, DEFAULT_MAX_STATES);
    }

    public static Result check(String key, List<Op> history, int maxStates) {
        List<Op> ops = new ArrayList<>();
        for (Op op : history) {
            boolean keep = switch (op.status()) {
                case OK -> true;
                case FAIL -> false;
                case INFO -> op.f() != Op.F.READ;
            };
            if (keep) {
                ops.add(op);
            }
        }
        List<Entry> events = new ArrayList<>();
        int remainingOk = 0;
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            Entry call = new Entry(op, i, true, op.invokeNanos());
            events.add(call);
            if (op.isOk()) {
                call.match = new Entry(op, i, false, op.completeNanos());
                events.add(call.match);
                remainingOk++;
            }
        }
        // By time; at equal times calls first, so that touching operations count as concurrent.
        events.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> !e.call));
        Entry head = new Entry(null, -1, false, Long.MIN_VALUE);
        Entry last = head;
        for (Entry e : events) {
            last.next = e;
            e.prev = last;
            last = e;
        }

        Set<Memo> cache = new HashSet<>();
        Deque<Frame> calls = new ArrayDeque<>();
        BitSet linearized = new BitSet(ops.size());
        String state = null; // keys are fresh: the register starts empty
        Entry entry = head.next;
        int deepest = 0;
        Entry stuck = null;
        while (remainingOk > 0) {
            if (entry == null) {
                // Only calls without returns were left to try: nothing forces a return, yet OK
                // operations remain, which cannot happen (their returns follow their calls).
                throw new IllegalStateException("search ran off the end of the history of " + key);
            }
            if (entry.call) {
                String next = step(state, entry.op);
                if (next != NO) {
                    BitSet bits = (BitSet) linearized.clone();
                    bits.set(entry.id);
                    if (cache.add(new Memo(bits, next))) {
                        if (cache.size() > maxStates) {
                            return new Result(key, false, true, "gave up after " + maxStates + " states ("
                                    + ops.size() + " operations)");
                        }
                        calls.push(new Frame(entry, state));
                        state = next;
                        linearized = bits;
                        if (entry.op.isOk()) {
                            remainingOk--;
                        }
                        lift(entry);
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
            } else {
                if (calls.size() >= deepest) {
                    deepest = calls.size();
                    stuck = entry;
                }
                if (calls.isEmpty()) {
                    return new Result(key, false, false, explain(key, ops, stuck, deepest));
                }
                Frame f = calls.pop();
                state = f.state;
                linearized = (BitSet) linearized.clone();
                linearized.clear(f.call.id);
                if (f.call.op.isOk()) {
                    remainingOk++;
                }
                unlift(f.call);
                entry = f.call.next;
            }
        }
        return new Result(key, true, false, "linearizable (" + ops.size() + " operations, " + cache.size() + " states)");
    }

    /** Marker for "this operation cannot happen in this state". */
    private static final String NO = new String("no such step");

    /** The register after {@code op} in {@code state}, or {@link #NO} when op's reply rules it out. */
    private static String step(String state, Op op) {
        return switch (op.f()) {
            case READ -> Objects.equals(state, op.result()) ? state : NO;
            case WRITE -> op.value();
            case SWAP -> !op.isOk() || Objects.equals(state, op.result()) ? op.value() : NO;
            default -> throw new IllegalArgumentException("not a register operation: " + op);
        };
    }

    private static void lift(Entry call) {
        call.prev.next = call.next;
        if (call.next != null) {
            call.next.prev = call.prev;
        }
        Entry ret = call.match;
        if (ret != null) {
            ret.prev.next = ret.next;
            if (ret.next != null) {
                ret.next.prev = ret.prev;
            }
        }
    }

    private static void unlift(Entry call) {
        Entry ret = call.match;
        if (ret != null) {
            ret.prev.next = ret;
            if (ret.next != null) {
                ret.next.prev = ret;
            }
        }
        call.prev.next = call;
        if (call.next != null) {
            call.next.prev = call;
        }
    }

    private static String explain(String key, List<Op> ops, Entry stuck, int deepest) {
        long origin = ops.isEmpty() ? 0 : ops.get(0).invokeNanos();
        StringBuilder sb = new StringBuilder("not linearizable: key ").append(key).append(": at most ").append(deepest)
                .append(" operations linearize before this one must have taken effect:\n  ")
                .append(stuck == null ? "?" : stuck.op.describe(origin)).append("\n operations of the key (ms from its first):");
        for (Op op : ops) {
            sb.append("\n  ").append(op.describe(origin));
        }
        return sb.toString();
    }
}
