package io.redraft.store.rdb;

/**
 * The CRC-64 Redis puts in DUMP payloads and RDB files: the "Jones" polynomial
 * (0xad93d23594c935a9, used reflected as 0x95ac9329ac4bc9b5), initial value 0, no final xor.
 * Check value: CRC of "123456789" is 0xe9c6d914c4b8d9ca.
 *
 * <p>Table-driven, eight bytes per step ("slicing-by-8"), so checking a large payload costs
 * little more than copying it.
 */
public final class Crc64 {
    private static final long POLY = 0x95ac9329ac4bc9b5L;
    private static final long[][] TABLES = new long[8][256];

    static {
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            }
            TABLES[0][i] = c;
        }
        for (int i = 0; i < 256; i++) {
            long c = TABLES[0][i];
            for (int t = 1; t < 8; t++) {
                c = TABLES[0][(int) (c & 0xff)] ^ (c >>> 8);
                TABLES[t][i] = c;
            }
        }
    }

    private Crc64() {
    }

    /** The CRC of the whole array. */
    public static long of(byte[] data) {
        return update(0, data, 0, data.length);
    }

    /** Continues crc over data[offset, offset+length). */
    public static long update(long crc, byte[] data, int offset, int length) {
        long[] t0 = TABLES[0];
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            crc ^= (data[i] & 0xffL)
                    | (data[i + 1] & 0xffL) << 8
                    | (data[i + 2] & 0xffL) << 16
                    | (data[i + 3] & 0xffL) << 24
                    | (data[i + 4] & 0xffL) << 32
                    | (data[i + 5] & 0xffL) << 40
                    | (data[i + 6] & 0xffL) << 48
                    | (data[i + 7] & 0xffL) << 56;
            crc = TABLES[7][(int) (crc & 0xff)]
                    ^ TABLES[6][(int) ((crc >>> 8) & 0xff)]
                    ^ TABLES[5][(int) ((crc >>> 16) & 0xff)]
                    ^ TABLES[4][(int) ((crc >>> 24) & 0xff)]
                    ^ TABLES[3][(int) ((crc >>> 32) & 0xff)]
                    ^ TABLES[2][(int) ((crc >>> 40) & 0xff)]
                    ^ TABLES[1][(int) ((crc >>> 48) & 0xff)]
                    ^ t0[(int) (crc >>> 56)];
        }
        for (; i < end; i++) {
            crc = t0[(int) ((crc ^ data[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }
}
