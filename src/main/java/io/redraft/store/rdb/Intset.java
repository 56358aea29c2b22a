package io.redraft.store.rdb;

/**
 * Reads and writes Redis's intset blobs (inside SET_INTSET): encoding width in bytes (2, 4 or 8) and
 * element count, each 4 bytes LE, then the sorted, distinct elements little-endian.
 */
final class Intset {
    private Intset() {
    }

    static long[] values(byte[] b) throws RdbFormatException {
        if (b.length < 8) {
            throw new RdbFormatException("Intset too short");
        }
        int width = (int) le(b, 0, 4);
        long count = le(b, 4, 4) & 0xffffffffL;
        if ((width != 2 && width != 4 && width != 8) || 8 + count * width != b.length) {
            throw new RdbFormatException("Intset header corrupt");
        }
        long[] out = new long[(int) count];
        for (int i = 0; i < out.length; i++) {
            int shift = 64 - 8 * width;
            out[i] = (le(b, 8 + i * width, width) << shift) >> shift;
            if (i > 0 && out[i] <= out[i - 1]) {
                // Redis's integrity check: members must be strictly ascending (sorted, no duplicates).
                throw new RdbFormatException("Intset not sorted");
            }
        }
        return out;
    }

    /** The intset blob of values (any order, distinct), in the smallest width that fits all. */
    static byte[] blob(long[] values) {
        long[] v = values.clone();
        java.util.Arrays.sort(v);
        int width = 2;
        for (long x : v) {
            if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
                width = 8;
            } else if ((x < Short.MIN_VALUE || x > Short.MAX_VALUE) && width < 4) {
                width = 4;
            }
        }
        byte[] b = new byte[8 + v.length * width];
        putLe(b, 0, width, 4);
        putLe(b, 4, v.length, 4);
        for (int i = 0; i < v.length; i++) {
            putLe(b, 8 + i * width, v[i], width);
        }
        return b;
    }

    private static void putLe(byte[] b, int p, long v, int width) {
        for (int i = 0; i < width; i++) {
            b[p + i] = (byte) (v >>> (8 * i));
        }
    }

    private static long le(byte[] b, int p, int width) {
        long v = 0;
        for (int i = 0; i < width; i++) {
            v |= (b[p + i] & 0xffL) << (8 * i);
        }
        return v;
    }
}
