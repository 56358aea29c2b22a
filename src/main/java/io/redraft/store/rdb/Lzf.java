package io.redraft.store.rdb;

/**
 * LZF, the compression of RDB strings. {@link #compress} makes the same choices as the liblzf
 * 3.6 build inside Redis 7 (hash table of 2^16 slots, the "very fast" rehash after a match), so
 * a string Redraft dumps is byte-for-byte the payload Redis dumps for it. (Redis leaves its hash
 * table uninitialised, so stale slots can in principle give it other matches; a fresh table is
 * what it gets in practice, and any valid LZF loads either way.)
 *
 * <p>Format: {@code 000LLLLL} + L+1 literal bytes; {@code LLLooooo oooooooo} a back reference
 * of L+2 bytes at distance o+1; {@code 111ooooo LLLLLLLL oooooooo} one of L+9 bytes.
 */
public final class Lzf {
    private static final int HLOG = 16;
    private static final int HSIZE = 1 << HLOG;
    private static final int MAX_LIT = 1 << 5;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    /**
     * The hash table of positions, reused across calls on a thread. A slot is valid only when
     * its stamp equals the current call's, which saves clearing 2^16 slots per call.
     */
    private static final ThreadLocal<HashTable> TABLE = ThreadLocal.withInitial(HashTable::new);

    private static final class HashTable {
        final int[] pos = new int[HSIZE];
        final int[] stamp = new int[HSIZE];
        int current;

        void next() {
            if (++current == 0) { // wrapped after 2^32 calls: forget every old stamp
                java.util.Arrays.fill(stamp, 0);
                current = 1;
            }
        }
    }

    private Lzf() {
    }

    /**
     * Compresses in[0, inLen) into out, using at most maxOut bytes; returns the compressed length,
     * or 0 when it does not fit (the caller then stores the data uncompressed). out must have
     * room for maxOut + 1 bytes.
     */
    public static int compress(byte[] in, int inLen, byte[] out, int maxOut) {
        if (inLen == 0 || maxOut == 0) {
            return 0;
        }
        HashTable h = TABLE.get();
        h.next();
        int[] pos = h.pos;
        int[] stamp = h.stamp;
        int cur = h.current;

        int ip = 0;
        int op = 1; // room for the length byte of the first literal run
        int lit = 0;
        int hval = inLen >= 2 ? first(in, ip) : 0;
        while (ip < inLen - 2) {
            hval = (hval << 8) | (in[ip + 2] & 0xff);
            int slot = idx(hval);
            int ref = stamp[slot] == cur ? pos[slot] : 0; // 0 never matches: a reference must be > 0
            pos[slot] = ip;
            stamp[slot] = cur;
            int off = ip - ref - 1;
            if (ref > 0 && off < MAX_OFF
                    && in[ref] == in[ip] && in[ref + 1] == in[ip + 1] && in[ref + 2] == in[ip + 2]) {
                int len = 2;
                int maxlen = Math.min(inLen - ip - len, MAX_REF);
                out[op - lit - 1] = (byte) (lit - 1); // close the literal run
                if (lit == 0) {
                    op--; // an empty run takes no byte
                }
                if (op + 3 + 1 >= maxOut) {
                    return 0;
                }
                len = matchLength(in, ref, ip, len, maxlen);
                len -= 2; // now the number of bytes minus one, as the format stores it
                ip++;
                if (len < 7) {
                    out[op++] = (byte) ((off >>> 8) + (len << 5));
                } else {
                    out[op++] = (byte) ((off >>> 8) + (7 << 5));
                    out[op++] = (byte) (len - 7);
                }
                out[op++] = (byte) off;
                lit = 0;
                op++; // start a new literal run
                ip += len + 1;
                if (ip >= inLen - 2) {
                    break;
                }
                // Re-hash the last two positions of the match, as the "very fast" liblzf does.
                ip -= 2;
                hval = first(in, ip);
                hval = (hval << 8) | (in[ip + 2] & 0xff);
                slot = idx(hval);
                pos[slot] = ip;
                stamp[slot] = cur;
                ip++;
                hval = (hval << 8) | (in[ip + 2] & 0xff);
                slot = idx(hval);
                pos[slot] = ip;
                stamp[slot] = cur;
                ip++;
            } else {
                if (op >= maxOut) {
                    return 0;
                }
                lit++;
                out[op++] = in[ip++];
                if (lit == MAX_LIT) {
                    out[op - lit - 1] = (byte) (lit - 1);
                    lit = 0;
                    op++;
                }
            }
        }
        if (op + 3 > maxOut) {
            return 0;
        }
        while (ip < inLen) {
            lit++;
            out[op++] = in[ip++];
            if (lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }
        out[op - lit - 1] = (byte) (lit - 1);
        if (lit == 0) {
            op--;
        }
        return op;
    }

    /**
     * Extends a 3-byte match. liblzf compares 16 bytes unchecked when more than 16 may follow,
     * which can run a match past maxlen (never past the input); copying that keeps our output
     * identical to Redis's.
     */
    private static int matchLength(byte[] in, int ref, int ip, int len, int maxlen) {
        if (maxlen > 16) {
            for (int k = 0; k < 16; k++) {
                len++;
                if (in[ref + len] != in[ip + len]) {
                    return len;
                }
            }
        }
        do {
            len++;
        } while (len < maxlen && in[ref + len] == in[ip + len]);
        return len;
    }

    private static int first(byte[] in, int p) {
        return ((in[p] & 0xff) << 8) | (in[p + 1] & 0xff);
    }

    private static int idx(int h) {
        return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
    }

    /**
     * Decompresses in[offset, offset+length) into exactly outLength bytes.
     *
     * @throws RdbFormatException if the data is corrupt or does not give outLength bytes
     */
    public static byte[] decompress(byte[] in, int offset, int length, int outLength) throws RdbFormatException {
        byte[] out = new byte[outLength];
        int ip = offset;
        int end = offset + length;
        int op = 0;
        while (ip < end) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < MAX_LIT) {
                int n = ctrl + 1;
                if (op + n > outLength || ip + n > end) {
                    throw new RdbFormatException("Invalid LZF compressed string");
                }
                System.arraycopy(in, ip, out, op, n);
                ip += n;
                op += n;
            } else {
                int len = ctrl >>> 5;
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (ip >= end) {
                    throw new RdbFormatException("Invalid LZF compressed string");
                }
                if (len == 7) {
                    len += in[ip++] & 0xff;
                    if (ip >= end) {
                        throw new RdbFormatException("Invalid LZF compressed string");
                    }
                }
                ref -= in[ip++] & 0xff;
                len += 2;
                if (op + len > outLength || ref < 0) {
                    throw new RdbFormatException("Invalid LZF compressed string");
                }
                int distance = op - ref;
                if (distance >= len) {
                    System.arraycopy(out, ref, out, op, len); // no overlap
                } else if (distance == 1) {
                    java.util.Arrays.fill(out, op, op + len, out[ref]); // a run of one byte
                } else {
                    // The reference overlaps the bytes it produces: copy in order, byte by byte.
                    for (int k = 0; k < len; k++) {
                        out[op + k] = out[ref + k];
                    }
                }
                op += len;
            }
        }
        if (op != outLength) {
            throw new RdbFormatException("Invalid LZF compressed string");
        }
        return out;
    }
}
