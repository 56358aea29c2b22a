package io.redraft.store.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads Redis's ziplist blobs, the compact form of Redis before 7.0 (in LIST_QUICKLIST nodes,
 * HASH_ZIPLIST, ZSET_ZIPLIST and LIST_ZIPLIST), which Redis 7.0 still loads: a header of total
 * bytes (4, LE), tail offset (4, LE) and count (2, LE, 65535 meaning "unknown"), entries of
 * prevlen (1 byte, or 0xFE and 4 bytes) + encoding + data, and a 0xFF terminator.
 */
final class Ziplist {
    private static final int HEADER = 10;
    private static final int END = 0xFF;

    private Ziplist() {
    }

    static List<byte[]> entries(byte[] zl) throws RdbFormatException {
        if (zl.length < HEADER + 1) {
            throw new RdbFormatException("Ziplist too short");
        }
        long total = le(zl, 0, 4) & 0xffffffffL;
        int declared = (int) le(zl, 8, 2) & 0xffff;
        int end = zl.length - 1;
        if (total != zl.length || (zl[end] & 0xff) != END) {
            throw new RdbFormatException("Ziplist header or terminator corrupt");
        }
        List<byte[]> out = new ArrayList<>(Math.min(declared, 1024));
        int p = HEADER;
        while (p < end) {
            p += (zl[p] & 0xff) < 0xFE ? 1 : 5; // prevlen
            check(p + 1, end);
            int b = zl[p] & 0xff;
            int data = p + 1;
            long len = -1; // string length, or -1 for an integer entry
            int width = 0;
            switch (b >>> 6) {
                case 0 -> len = b & 0x3F;
                case 1 -> {
                    check(p + 2, end);
                    len = ((b & 0x3F) << 8) | (zl[p + 1] & 0xff);
                    data = p + 2;
                }
                case 2 -> {
                    if (b != 0x80) {
                        throw new RdbFormatException("Ziplist bad entry encoding");
                    }
                    check(p + 5, end);
                    len = ((zl[p + 1] & 0xffL) << 24) | ((zl[p + 2] & 0xffL) << 16)
                            | ((zl[p + 3] & 0xffL) << 8) | (zl[p + 4] & 0xffL);
                    data = p + 5;
                }
                default -> width = switch (b) {
                    case 0xC0 -> 2;
                    case 0xD0 -> 4;
                    case 0xE0 -> 8;
                    case 0xF0 -> 3;
                    case 0xFE -> 1;
                    default -> {
                        if (b >= 0xF1 && b <= 0xFD) {
                            yield 0; // immediate 0..12 in the low nibble, minus one
                        }
                        throw new RdbFormatException("Ziplist bad entry encoding");
                    }
                };
            }
            if (len >= 0) {
                if (len > end - data) {
                    throw new RdbFormatException("Ziplist string out of range");
                }
                out.add(Arrays.copyOfRange(zl, data, data + (int) len));
                p = data + (int) len;
            } else {
                check(data + width, end);
                long v;
                if (width == 0) {
                    v = (b & 0x0F) - 1;
                } else {
                    int shift = 64 - 8 * width;
                    v = (le(zl, data, width) << shift) >> shift;
                }
                out.add(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
                p = data + width;
            }
        }
        if (declared != 0xFFFF && declared != out.size()) {
            throw new RdbFormatException("Ziplist count mismatch");
        }
        return out;
    }

    private static void check(int p, int end) throws RdbFormatException {
        if (p > end || p < 0) {
            throw new RdbFormatException("Ziplist entry out of range");
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
