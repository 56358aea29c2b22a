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
 */
public record Op(int process, F f, String key, String value, long invokeNanos, long completeNanos,
                 Status status, Object result, String error) {

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
        READ_LIST
    }

    /** OK: took effect with this result; FAIL: certainly did not take effect; INFO: unknown. */
    public enum Status { OK, FAIL, INFO }

    public static Op ok(int process, F f, String key, String value, long invoke, long complete, Object result) {
        return new Op(process, f, key, value, invoke, complete, Status.OK, result, null);
    }

    public static Op fail(int process, F f, String key, String value, long invoke, long complete, String error) {
        return new Op(process, f, key, value, invoke, complete, Status.FAIL, null, error);
    }

    public static Op info(int process, F f, String key, String value, long invoke, long complete, String error) {
        return new Op(process, f, key, value, invoke, complete, Status.INFO, null, error);
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
                status == Status.OK ? String.valueOf(result) : error);
    }
}
