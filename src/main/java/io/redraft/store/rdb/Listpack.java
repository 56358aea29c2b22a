package io.redraft.store.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Redis's listpack blobs (the compact form inside HASH_LISTPACK, ZSET_LISTPACK and the
 * packed nodes of LIST_QUICKLIST_2): a header of total bytes (4, LE) and entry count (2, LE,
 * 65535 meaning "unknown"), entries of encoding + data + backlen, and a 0xFF terminator. Integer
 * entries come out as their decimal text, as Redis returns them. Every bound is checked, so a
 * corrupt blob gives an {@link RdbFormatException}.
 */
final class Listpack {
    private static final int HEADER = 6;
    private static final int EOF = 0xFF;
    private static final int UNKNOWN_COUNT = 0xFFFF;

    private Listpack() {
    }

    /** The entries of a listpack blob in order. */
    static List<byte[]> entries(byte[] lp) throws RdbFormatException {
        if (lp.length < HEADER + 1) {
            throw new RdbFormatException("Listpack too short");
        }
        long total = u32(lp, 0);
        int declared = (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
        if (total != lp.length || (lp[lp.length - 1] & 0xff) != EOF) {
            throw new RdbFormatException("Listpack header or terminator corrupt");
        }
        int end = lp.length - 1;
        int p = HEADER;
        List<byte[]> out = new ArrayList<>(Math.min(declared, 1024));
        while (p < end) {
            int b = lp[p] & 0xff;
            int dataStart;
            int dataLen;
            byte[] entry;
            if ((b & 0x80) == 0) { // 7-bit unsigned int
                entry = digits(b);
                dataStart = p + 1;
                dataLen = 0;
            } else if ((b & 0xC0) == 0x80) { // 6-bit length string
                dataStart = p + 1;
                dataLen = b & 0x3F;
                entry = null;
            } else if ((b & 0xE0) == 0xC0) { // 13-bit signed int
                check(p + 2, end);
                int v = ((b & 0x1F) << 8) | (lp[p + 1] & 0xff);
                entry = digits(v >= 1 << 12 ? v - (1 << 13) : v);
                dataStart = p + 2;
                dataLen = 0;
            } else if ((b & 0xF0) == 0xE0) { // 12-bit length string
                check(p + 2, end);
                dataStart = p + 2;
                dataLen = ((b & 0x0F) << 8) | (lp[p + 1] & 0xff);
                entry = null;
            } else if (b == 0xF0) { // 32-bit length string
                check(p + 5, end);
                long len = u32(lp, p + 1);
                if (len > end) {
                    throw new RdbFormatException("Listpack string out of range");
                }
                dataStart = p + 5;
                dataLen = (int) len;
                entry = null;
            } else if (b >= 0xF1 && b <= 0xF4) { // 16, 24, 32, 64-bit signed int
                int width = switch (b) {
                    case 0xF1 -> 2;
                    case 0xF2 -> 3;
                    case 0xF3 -> 4;
                    default -> 8;
                };
                check(p + 1 + width, end);
                long v = 0;
                for (int i = 0; i < width; i++) {
                    v |= (lp[p + 1 + i] & 0xffL) << (8 * i);
                }
                int shift = 64 - 8 * width;
                entry = digits((v << shift) >> shift);
                dataStart = p + 1;
                dataLen = width;
            } else {
                throw new RdbFormatException("Listpack bad entry encoding");
            }
            int encLen = dataStart - p + dataLen;
            check(dataStart + dataLen, end);
            if (entry == null) {
                entry = java.util.Arrays.copyOfRange(lp, dataStart, dataStart + dataLen);
            }
            p = dataStart + dataLen + backlenSize(encLen);
            check(p, end);
            out.add(entry);
        }
        if (declared != UNKNOWN_COUNT && declared != out.size()) {
            throw new RdbFormatException("Listpack count mismatch");
        }
        return out;
    }

    /** How many bytes the backlen of an entry of encLen bytes takes (7 bits per byte). */
    private static int backlenSize(int encLen) {
        if (encLen <= 127) {
            return 1;
        } else if (encLen < 16383) {
            return 2;
        } else if (encLen < 2097151) {
            return 3;
        } else if (encLen < 268435455) {
            return 4;
        }
        return 5;
    }

    private static void check(int p, int end) throws RdbFormatException {
        if (p > end || p < 0) {
            throw new RdbFormatException("Listpack entry out of range");
        }
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24;
    }

    private static byte[] digits(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
