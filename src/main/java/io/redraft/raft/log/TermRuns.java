package io.redraft.raft.log;

import java.util.Arrays;

/**
 * In-memory terms of the whole log as change points: run k covers indexes
 * {@code start[k] .. start[k+1]-1} with term {@code term[k]}. Terms change only on elections, so
 * this stays tiny however long the log is, and {@code term(i)} never touches disk.
 * Not thread-safe: guarded by the journal's lock.
 */
final class TermRuns {
    private long[] start = new long[16];
    private long[] term = new long[16];
    private int size;

    void clear() {
        size = 0;
    }

    /** Records that {@code index} (the new last index) has {@code t}. */
    void append(long index, long t) {
        if (size > 0 && term[size - 1] == t) return;
        if (size == start.length) {
            start = Arrays.copyOf(start, size * 2);
            term = Arrays.copyOf(term, size * 2);
        }
        start[size] = index;
        term[size] = t;
        size++;
    }

    /** Forgets every index at or above {@code index}. */
    void truncateFrom(long index) {
        while (size > 0 && start[size - 1] >= index) size--;
    }

    /** Forgets runs that end before {@code index} (compaction); the run holding it stays. */
    void dropBefore(long index) {
        int k = find(index);
        if (k <= 0) return;
        System.arraycopy(start, k, start, 0, size - k);
        System.arraycopy(term, k, term, 0, size - k);
        size -= k;
    }

    /** Term at {@code index}, which the caller guarantees lies in the covered range. */
    long termAt(long index) {
        int k = find(index);
        if (k < 0) throw new IllegalStateException("no term recorded for index " + index);
        return term[k];
    }

    int runs() {
        return size;
    }

    long runStart(int k) {
        return start[k];
    }

    long runTerm(int k) {
        return term[k];
    }

    /** Position of the last run starting at or before {@code index}, or -1. */
    private int find(long index) {
        int lo = 0, hi = size - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (start[mid] <= index) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
