package io.redraft.store.rdb;

import io.redraft.resp.RedisNumbers;

import java.util.Arrays;

/**
 * Builds one listpack blob (the inverse of {@link Listpack}): entries in Redis's encodings, a
 * canonical integer as the smallest integer encoding, anything else as a string, each followed
 * by its backlen, between the 6-byte header and the 0xFF terminator.
 */
final class ListpackWriter {
    private static final int HEADER = 6;

    private byte[] buf = new byte[64];
    private int size = HEADER;
    private int count;

    /** Bytes the blob would take now (header, entries and terminator). */
    int bytes() {
        return size + 1;
    }

    int count() {
        return count;
    }

    void add(byte[] s) {
        int start = size;
        Long v = s.length <= 20 ? RedisNumbers.parseLong(s) : null;
        if (v != null) {
            writeInt(v);
        } else {
            writeStringEntry(s);
        }
        writeBacklen(size - start);
        count++;
    }

    private void writeInt(long v) {
        if (v >= 0 && v <= 127) {
            put(v, 1);
        } else if (v >= -4096 && v <= 4095) {
            put(0xC0 | ((v >> 8) & 0x1F), 1);
            put(v, 1);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            put(0xF1, 1);
            put(v, 2);
        } else if (v >= -(1 << 23) && v < (1 << 23)) {
            put(0xF2, 1);
            put(v, 3);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            put(0xF3, 1);
            put(v, 4);
        } else {
            put(0xF4, 1);
            put(v, 8);
        }
    }

    private void writeStringEntry(byte[] s) {
        int len = s.length;
        if (len < 64) {
            put(0x80 | len, 1);
        } else if (len < 4096) {
            put(0xE0 | (len >> 8), 1);
            put(len, 1);
        } else {
            put(0xF0, 1);
            put(len, 4);
        }
        ensure(len);
        System.arraycopy(s, 0, buf, size, len);
        size += len;
    }

    /** The entry's length (encoding + data), 7 bits per byte, most significant first. */
    private void writeBacklen(int l) {
        int n = l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
        for (int i = n - 1; i >= 0; i--) {
            int b = (l >>> (7 * i)) & 127;
            put(i == n - 1 ? b : b | 128, 1);
        }
    }

    /** width bytes of v, little-endian. */
    private void put(long v, int width) {
        ensure(width);
        for (int i = 0; i < width; i++) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    /** The finished blob. */
    byte[] toByteArray() {
        byte[] out = Arrays.copyOf(buf, size + 1);
        out[size] = (byte) 0xFF;
        int total = size + 1;
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) (total >>> (8 * i));
        }
        int c = Math.min(count, 0xFFFF);
        out[4] = (byte) c;
        out[5] = (byte) (c >>> 8);
        return out;
    }
}
