package io.redraft.command;

/**
 * Bit-level reads and writes on string values. Bits are numbered as Redis numbers them: bit 0
 * is the most significant bit of byte 0. Bits past the end of the array read as 0.
 */
final class BitOps {
    private BitOps() {
    }

    static int getBit(byte[] s, long bit) {
        long i = bit >>> 3;
        if (s == null || i >= s.length) {
            return 0;
        }
        return (s[(int) i] >> (7 - (int) (bit & 7))) & 1;
    }

    /** Sets one bit; the array must be long enough. */
    static void setBit(byte[] s, long bit, int on) {
        int i = (int) (bit >>> 3);
        int mask = 1 << (7 - (int) (bit & 7));
        s[i] = (byte) (on != 0 ? s[i] | mask : s[i] & ~mask);
    }

    /** Number of set bits in the inclusive bit range [from, to] (both inside the array). */
    static long count(byte[] s, long from, long to) {
        int first = (int) (from >>> 3);
        int last = (int) (to >>> 3);
        // bits of the edge bytes that lie outside the range
        int headMask = 0xFF >>> (int) (from & 7);
        int tailMask = (0xFF << (7 - (int) (to & 7))) & 0xFF;
        if (first == last) {
            return Integer.bitCount(s[first] & headMask & tailMask);
        }
        long n = Integer.bitCount(s[first] & headMask) + Integer.bitCount(s[last] & tailMask);
        int i = first + 1;
        for (; i + 8 <= last; i += 8) {
            n += Long.bitCount(readLong(s, i));
        }
        for (; i < last; i++) {
            n += Integer.bitCount(s[i] & 0xFF);
        }
        return n;
    }

    /** Position of the first bit equal to {@code bit} in the inclusive range [from, to], or -1. */
    static long find(byte[] s, long from, long to, int bit) {
        int first = (int) (from >>> 3);
        int last = (int) (to >>> 3);
        long wordSkip = bit == 0 ? -1L : 0L; // a word or byte that cannot hold the bit sought
        int byteSkip = bit == 0 ? 0xFF : 0;
        int i = first;
        while (i <= last) {
            if (i > first && i < last) {
                if (i + 8 <= last && readLong(s, i) == wordSkip) {
                    i += 8;
                    continue;
                }
                if ((s[i] & 0xFF) == byteSkip) {
                    i++;
                    continue;
                }
            }
            int lo = i == first ? (int) (from & 7) : 0;
            int hi = i == last ? (int) (to & 7) : 7;
            int b = s[i] & 0xFF;
            for (int k = lo; k <= hi; k++) {
                if (((b >> (7 - k)) & 1) == bit) {
                    return ((long) i << 3) + k;
                }
            }
            i++;
        }
        return -1;
    }

    /** Reads a bits-wide field at a bit offset, as unsigned or two's-complement signed. */
    static long getField(byte[] s, long offset, int bits, boolean signed) {
        long v = 0;
        for (int k = 0; k < bits; k++) {
            v = (v << 1) | getBit(s, offset + k);
        }
        if (signed && bits < 64) {
            v = (v << (64 - bits)) >> (64 - bits);
        }
        return v;
    }

    /** Writes the low {@code bits} bits of value at a bit offset; the array must be long enough. */
    static void setField(byte[] s, long offset, int bits, long value) {
        for (int k = 0; k < bits; k++) {
            setBit(s, offset + k, (int) (value >>> (bits - 1 - k)) & 1);
        }
    }

    private static long readLong(byte[] s, int i) {
        return (long) LONGS.get(s, i);
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);
}
