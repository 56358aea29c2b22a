package io.redraft.store;

/**
 * The SCAN cursor step of Redis's dictScan, shared by every chained power-of-two table here.
 *
 * <p>The cursor walks bucket indexes with their bits reversed: incrementing the high bits first
 * means that when a table doubles or halves between two calls, the buckets already visited map
 * onto buckets the cursor has already passed, so an element present for the whole scan is
 * returned at least once (possibly more).
 */
final class ReverseBinaryCursor {
    private ReverseBinaryCursor() {
    }

    /** The cursor after the bucket at cursor in a table of mask + 1 buckets; 0 when the scan is done. */
    static long next(long cursor, int mask) {
        long v = cursor | ~(long) mask; // set the bits above the mask so the carry runs off the top
        return Long.reverse(Long.reverse(v) + 1);
    }
}
