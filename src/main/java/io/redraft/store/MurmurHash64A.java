package io.redraft.store;

/**
 * MurmurHash2, 64-bit variant "64A", reading 8-byte words little-endian whatever the platform,
 * as Redis's HyperLogLog does. Redis hashes HLL elements with seed 0xadc83b19.
 */
public final class MurmurHash64A {
    private static final long M = 0xc6a4a7935bd1e995L;
    private static final int R = 47;

    private MurmurHash64A() {
    }

    public static long hash(byte[] data, long seed) {
        int len = data.length;
        long h = seed ^ (len * M);
        int words = len & ~7;
        for (int i = 0; i < words; i += 8) {
            long k = (data[i] & 0xffL)
                    | (data[i + 1] & 0xffL) << 8
                    | (data[i + 2] & 0xffL) << 16
                    | (data[i + 3] & 0xffL) << 24
                    | (data[i + 4] & 0xffL) << 32
                    | (data[i + 5] & 0xffL) << 40
                    | (data[i + 6] & 0xffL) << 48
                    | (data[i + 7] & 0xffL) << 56;
            k *= M;
            k ^= k >>> R;
            k *= M;
            h ^= k;
            h *= M;
        }
        int tail = len & 7;
        if (tail > 0) {
            // The tail bytes are folded in from the highest down, then mixed once.
            for (int j = tail - 1; j >= 0; j--) {
                h ^= (data[words + j] & 0xffL) << (8 * j);
            }
            h *= M;
        }
        h ^= h >>> R;
        h *= M;
        h ^= h >>> R;
        return h;
    }
}
