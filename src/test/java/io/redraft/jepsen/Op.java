package io.redraft.jepsen;

import java.util.List;

/**
 * One completed client operation of a history: what a client asked ({@code f} on {@code key} with
 * {@code value}), when it asked and when it learnt the outcome (System.nanoTime), and the outcome.
 *
 * <p>{@code result} is the reply of an OK operation: the value read (a String or null) for a
 * register read or swap, the list read (List of String) for a list read, the new length (Long)
 * for an append. An INFO operation may or may not have taken effect, at any time after its
 * invocation: checkers treat its completion as never.
 *
 * <p>A {@link F#TXN} is a MULTI/EXEC transaction of list {@link Micro} operations: {@code micro}
 * holds them in order, each with its own reply once the transaction is OK (null before); its
 * {@code key} names the keys it touched (for the saved history only), {@code value} and
 * {@code result} are null.
 */
public record Op(int process, F f, String key, String value, long invokeNanos, long completeNanos,
                 Status status, Object result, String error, List<Micro> micro) {

    /** What the operation did. */
    public enum F {
        /** GET. */
        READ,
        /** SET k v. */
        WRITE,
        /** SET k v GET: writes v and returns the previous value. */
        SWAP,
        /** RPUSH k v: returns the list's new length. */
        APPEND,
        /** LRANGE k 0 -1. */
        READ_LIST,
        /** MULTI, then APPEND and READ_LIST micro-operations over several keys, then EXEC. */
        TXN
    }

    /** One operation inside a transaction: APPEND (result: the new length) or READ_LIST (result: the list). */
    public record Micro(F f, String key, String value, Object result) {
        public Micro {
            if (f != F.APPEND && f != F.READ_LIST) {
                throw new IllegalArgumentException("not a list micro-operation: " + f);
            }
        }

        Micro withResult(Object r) {
            return new Micro(f, key, value, r);
        }

        @SuppressWarnings("unchecked")
        public List<String> listResult() {
            return (List<String>) result;
        }

        @Override
        public String toString() {
            return f == F.APPEND ? "append " + key + " " + value + (result == null ? "" : " -> " + result)
                    : "r " + key + (result == null ? "" : " " + result);
        }
    }

    /** OK: took effect with this result; FAIL: certainly did not take effect; INFO: unknown. */
    public enum Status { OK, FAIL, INFO }

    public static Op ok(int process, F f, String key, String value, long invoke, long complete, Object result) {
        return new Op(process, f, key, value, invoke, complete, Status.OK, result, null, null);
    }

    public static Op fail(int process, F f, String key, String value, long invoke, long complete, String error) {
        return new Op(process, f, key, value, invoke, complete, Status.FAIL, null, error, null);
    }

    public static Op info(int process, F f, String key, String value, long invoke, long complete, String error) {
        return new Op(process, f, key, value, invoke, complete, Status.INFO, null, error, null);
    }

    /** A transaction; {@code micro} carry their replies when status is OK. */
    public static Op txn(int process, Status status, List<Micro> micro, long invoke, long complete, String error) {
        String keys = String.join(",", new java.util.LinkedHashSet<>(micro.stream().map(Micro::key).toList()));
        return new Op(process, F.TXN, keys, null, invoke, complete, status, null, error, List.copyOf(micro));
    }

    /**
     * The list micro-operations this operation stands for: a transaction's own, or a single
     * APPEND or READ_LIST as a transaction of one; empty for register operations.
     */
    public List<Micro> micros() {
        return switch (f) {
            case TXN -> micro;
            case APPEND -> List.of(new Micro(F.APPEND, key, value, result));
            case READ_LIST -> List.of(new Micro(F.READ_LIST, key, null, result));
            default -> List.of();
        };
    }

    public boolean isOk() {
        return status == Status.OK;
    }

    @SuppressWarnings("unchecked")
    public List<String> listResult() {
        return (List<String>) result;
    }

    /** One line of a saved history: times in ms since {@code origin}. */
    public String describe(long origin) {
        return String.format("%9.3f %9.3f p%-3d %-6s %-9s %-16s %-14s %s", (invokeNanos - origin) / 1e6,
                (completeNanos - origin) / 1e6, process, status, f, key, value == null ? "" : value,
                f == F.TXN ? micro + (status == Status.OK ? "" : " " + error)
                        : status == Status.OK ? String.valueOf(result) : error);
    }
}
