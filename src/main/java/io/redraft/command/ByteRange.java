package io.redraft.command;

/**
 * Redis's clamping of an inclusive [start, end] range given with possibly negative indexes
 * (counted from the end) over something of length len: GETRANGE in bytes, BITCOUNT and BITPOS
 * in bytes or bits. The result may be empty (start > end); callers test that.
 */
final class ByteRange {
    private ByteRange() {
    }

    /** Both indexes negative with start after end: empty however long the value is. */
    static boolean emptyFromTheEnd(long start, long end) {
        return start < 0 && end < 0 && start > end;
    }

    static long start(long start, long len) {
        if (start < 0) {
            start += len;
        }
        return Math.max(start, 0);
    }

    static long end(long end, long len) {
        if (end < 0) {
            end += len;
        }
        return Math.min(Math.max(end, 0), len - 1);
    }
}
