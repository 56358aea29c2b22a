package io.redraft.store;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * A HyperLogLog stored in a string value, byte for byte as Redis 7.0 stores it, so GET, DUMP
 * and RESTORE move HLLs between Redis and Redraft unchanged.
 *
 * <p>Layout: a 16-byte header ("HYLL", encoding byte 0 = dense / 1 = sparse, three zero bytes,
 * the cached cardinality as 64-bit little endian whose top bit set means "stale"), then
 * 16384 six-bit registers. Dense packs them LSB first into 12288 bytes. Sparse is a run-length
 * code of opcodes: ZERO {@code 00xxxxxx} (1..64 zero registers), XZERO {@code 01xxxxxx yyyyyyyy}
 * (1..16384 zero registers) and VAL {@code 1vvvvvxx} (1..4 registers holding 1..32). A sparse
 * HLL turns dense when a register needs a value above 32 or when an edit would make it longer
 * than {@code hll-sparse-max-bytes}; sparse edits split and merge opcodes exactly the way Redis
 * does, which is what keeps the bytes identical.
 *
 * <p>String values are immutable once stored, so an instance is a private, growable copy: load
 * it with {@link #edit} (or {@link #create}), change it, and store {@link #toBytes()}. The static
 * readers work on stored values directly. Corrupted sparse data is reported (a result of -1 or
 * false), never thrown over or allowed to index out of bounds. A sparse HLL is corrupted when
 * its opcodes cover other than exactly 16384 registers, counting an opcode that would run past
 * the last register as corruption even if the count had reached 16384 before it (the fix for
 * CVE-2025-32023, which the redis-server 7.0.15 we check against carries).
 */
public final class HyperLogLog {
    public static final int P = 14;
    public static final int Q = 64 - P;
    public static final int REGISTERS = 1 << P;
    static final int HEADER = 16;
    private static final int BITS = 6;
    private static final int REGISTER_MAX = (1 << BITS) - 1;
    public static final int DENSE_SIZE = HEADER + (REGISTERS * BITS + 7) / 8;
    private static final int DENSE = 0;
    private static final int SPARSE = 1;
    private static final long HASH_SEED = 0xadc83b19L;
    /** What {@link #count} gives for corrupted sparse data. */
    public static final OptionalLong CORRUPTED = OptionalLong.empty();

    private static final int VAL_MAX_VALUE = 32;
    private static final int VAL_MAX_LEN = 4;
    private static final int ZERO_MAX_LEN = 64;
    private static final int XZERO_MAX_LEN = 16384;

    private byte[] buf;
    private int len;

    private HyperLogLog(byte[] buf, int len) {
        this.buf = buf;
        this.len = len;
    }

    // ---- validation and header ----

    /** Redis's isHLLObjectOrReply: "HYLL", a known encoding, and the exact size if dense. */
    public static boolean isValid(byte[] s) {
        if (s.length < HEADER || s[0] != 'H' || s[1] != 'Y' || s[2] != 'L' || s[3] != 'L') {
            return false;
        }
        int encoding = s[4] & 0xff;
        return encoding == SPARSE || (encoding == DENSE && s.length == DENSE_SIZE);
    }

    public static boolean isDense(byte[] s) {
        return s[4] == DENSE;
    }

    public static boolean hasCachedCardinality(byte[] s) {
        return (s[15] & 0x80) == 0;
    }

    public static long cachedCardinality(byte[] s) {
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = card << 8 | (s[8 + i] & 0xffL);
        }
        return card;
    }

    /** A copy of the valid HLL s with its cache set to card (PFCOUNT's cache update). */
    public static byte[] withCachedCardinality(byte[] s, long card) {
        byte[] copy = s.clone();
        for (int i = 0; i < 8; i++) {
            copy[8 + i] = (byte) (card >>> (8 * i));
        }
        return copy;
    }

    // ---- creating and editing ----

    /** An empty HLL: sparse, all registers in XZERO opcodes, cached cardinality 0. */
    public static HyperLogLog create() {
        int opcodes = (REGISTERS + XZERO_MAX_LEN - 1) / XZERO_MAX_LEN;
        HyperLogLog h = new HyperLogLog(new byte[HEADER + 2 * opcodes + 3], HEADER + 2 * opcodes);
        h.buf[0] = 'H';
        h.buf[1] = 'Y';
        h.buf[2] = 'L';
        h.buf[3] = 'L';
        h.buf[4] = SPARSE;
        int p = HEADER;
        for (int left = REGISTERS; left > 0; ) {
            int run = Math.min(XZERO_MAX_LEN, left);
            setXZero(h.buf, p, run);
            p += 2;
            left -= run;
        }
        return h;
    }

    /** A private copy of the stored HLL s (already checked with {@link #isValid}). */
    public static HyperLogLog edit(byte[] s) {
        return new HyperLogLog(Arrays.copyOf(s, s.length + 4), s.length);
    }

    public byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    public boolean isDense() {
        return buf[4] == DENSE;
    }

    public void invalidateCache() {
        buf[15] |= (byte) 0x80;
    }

    /**
     * Adds an element: 1 if a register grew, 0 if not, -1 if the sparse data is corrupted.
     * A sparse HLL longer than sparseMaxBytes after the edit becomes dense.
     */
    public int add(byte[] element, long sparseMaxBytes) {
        long hash = MurmurHash64A.hash(element, HASH_SEED);
        int index = (int) (hash & (REGISTERS - 1));
        // The run length of the "00..1" pattern in the remaining Q bits, the 1 included; a
        // sentinel bit above them bounds it at Q + 1.
        long rest = (hash >>> P) | (1L << Q);
        int count = Long.numberOfTrailingZeros(rest) + 1;
        return set(index, count, sparseMaxBytes);
    }

    /** Raises register index to count if it is lower: 1 if it changed, 0 if not, -1 if corrupted. */
    public int set(int index, int count, long sparseMaxBytes) {
        if (isDense()) {
            return denseSet(buf, index, count);
        }
        return sparseSet(index, count, sparseMaxBytes);
    }

    /** Converts a sparse HLL to dense (a no-op if dense); false if the sparse data is corrupted. */
    public boolean toDense() {
        if (isDense()) {
            return true;
        }
        byte[] dense = new byte[DENSE_SIZE + 1]; // + 1: register writes touch the byte after
        System.arraycopy(buf, 0, dense, 0, HEADER); // magic and cached cardinality carry over
        dense[4] = DENSE;
        boolean valid = forEachRun(buf, len, (first, run, value) -> {
            for (int i = first; value > 0 && i < first + run; i++) {
                denseWrite(dense, i, value);
            }
        });
        if (!valid) {
            return false;
        }
        buf = dense;
        len = DENSE_SIZE;
        return true;
    }

    // ---- reading stored values ----

    /**
     * The estimated cardinality of the stored HLL s, or {@link #CORRUPTED} if its sparse data is
     * corrupted. (Any long is a possible estimate of a corrupted dense HLL: saturated registers
     * give Long.MIN_VALUE, as in Redis.)
     */
    public static OptionalLong count(byte[] s) {
        int[] histogram = histogram(s);
        return histogram == null ? CORRUPTED : OptionalLong.of(HllEstimator.estimate(histogram));
    }

    /** histogram[v] = how many registers of s hold v; null if its sparse data is corrupted. */
    private static int[] histogram(byte[] s) {
        int[] histogram = new int[64];
        if (isDense(s)) {
            for (int i = 0; i < REGISTERS; i++) {
                histogram[denseRead(s, s.length, i)]++;
            }
        } else if (!forEachRun(s, s.length, (first, run, value) -> histogram[value] += run)) {
            return null;
        }
        return histogram;
    }

    /** The estimate for registers held one per byte (the union PFCOUNT and PFMERGE build). */
    public static long countRegisters(byte[] registers) {
        int[] histogram = new int[64];
        for (byte r : registers) {
            histogram[r]++;
        }
        return HllEstimator.estimate(histogram);
    }

    /**
     * Raises max[i] (one register per byte, {@link #REGISTERS} of them) to register i of the
     * stored HLL s; false if its sparse data is corrupted.
     */
    public static boolean mergeInto(byte[] s, byte[] max) {
        if (isDense(s)) {
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseRead(s, s.length, i);
                if (v > max[i]) {
                    max[i] = (byte) v;
                }
            }
            return true;
        }
        return forEachRun(s, s.length, (first, run, value) -> {
            for (int i = first; i < first + run; i++) {
                if (value > max[i]) {
                    max[i] = (byte) value;
                }
            }
        });
    }

    /** The registers of a dense HLL s, one per element (PFDEBUG GETREG). */
    public static int[] denseRegisters(byte[] s) {
        int[] regs = new int[REGISTERS];
        for (int i = 0; i < REGISTERS; i++) {
            regs[i] = denseRead(s, s.length, i);
        }
        return regs;
    }

    /** The opcodes of a sparse HLL s as PFDEBUG DECODE prints them: "Z:16384", "z:3", "v:2,1". */
    public static String decodeSparse(byte[] s) {
        StringBuilder b = new StringBuilder();
        int p = HEADER;
        while (p < s.length) {
            int op = s[p] & 0xff;
            if (b.length() > 0) {
                b.append(' ');
            }
            if ((op & 0xc0) == 0) {
                b.append("z:").append((op & 0x3f) + 1);
                p++;
            } else if ((op & 0xc0) == 0x40) {
                b.append("Z:").append(xzeroLen(s, s.length, p));
                p += 2;
            } else {
                b.append("v:").append(((op >> 2) & 0x1f) + 1).append(',').append((op & 3) + 1);
                p++;
            }
        }
        return b.toString();
    }

    // ---- dense registers ----

    /**
     * Register i of a dense HLL whose valid bytes are s[0, len). The register after the last
     * byte reads as zero, like the terminator byte Redis's strings carry.
     */
    static int denseRead(byte[] s, int len, int i) {
        int bit = i * BITS;
        int at = HEADER + (bit >>> 3);
        int fb = bit & 7;
        int b0 = u(s, len, at);
        int b1 = u(s, len, at + 1);
        return ((b0 >>> fb) | (b1 << (8 - fb))) & REGISTER_MAX;
    }

    static void denseWrite(byte[] s, int i, int value) {
        int bit = i * BITS;
        int at = HEADER + (bit >>> 3);
        int fb = bit & 7;
        s[at] = (byte) ((s[at] & ~(REGISTER_MAX << fb)) | (value << fb));
        if (fb > 2 && at + 1 < s.length) { // the register spills into the next byte
            int fb8 = 8 - fb;
            s[at + 1] = (byte) ((s[at + 1] & ~(REGISTER_MAX >>> fb8)) | (value >>> fb8));
        }
    }

    private static int denseSet(byte[] s, int index, int count) {
        if (count > denseRead(s, DENSE_SIZE, index)) {
            denseWrite(s, index, count);
            return 1;
        }
        return 0;
    }

    // ---- sparse edits ----

    private int sparseSet(int index, int count, long sparseMaxBytes) {
        if (count > VAL_MAX_VALUE) {
            return promote(index, count);
        }
        // The worst split, XZERO -> XZERO VAL XZERO, adds 3 bytes; one more because an XZERO cut
        // short at the end of corrupted data is rewritten as if its second byte were there.
        ensureRoom(4);
        // Step 1: find the opcode covering register index.
        int p = HEADER;
        int first = 0;
        int prev = -1;
        int span = 0;
        while (p < len) {
            int op = buf[p] & 0xff;
            int oplen = 1;
            if ((op & 0xc0) == 0) {
                span = (op & 0x3f) + 1;
            } else if ((op & 0x80) != 0) {
                span = (op & 3) + 1;
            } else {
                span = xzeroLen(buf, len, p);
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= len) {
            return -1;
        }
        int op = buf[p] & 0xff;
        boolean isZero = (op & 0xc0) == 0;
        boolean isXZero = (op & 0xc0) == 0x40;
        int next = isXZero ? p + 2 : p + 1;
        if (next >= len) {
            next = -1;
        }
        int runlen = isZero ? (op & 0x3f) + 1 : isXZero ? xzeroLen(buf, len, p) : (op & 3) + 1;

        boolean inPlace = false;
        if (!isZero && !isXZero) {
            int old = ((op >> 2) & 0x1f) + 1;
            if (old >= count) {
                return 0; // the register already holds as much
            }
            if (runlen == 1) {
                buf[p] = val(count, 1);
                inPlace = true;
            }
        } else if (isZero && runlen == 1) {
            buf[p] = val(count, 1);
            inPlace = true;
        }

        if (!inPlace) {
            // Step 2: split the opcode around the register into at most three opcodes.
            byte[] seq = new byte[5];
            int n = 0;
            int last = first + span - 1;
            if (isZero || isXZero) {
                if (index != first) {
                    n = putZeroRun(seq, n, index - first);
                }
                seq[n++] = val(count, 1);
                if (index != last) {
                    n = putZeroRun(seq, n, last - index);
                }
            } else {
                int current = ((op >> 2) & 0x1f) + 1;
                if (index != first) {
                    seq[n++] = val(current, index - first);
                }
                seq[n++] = val(count, 1);
                if (index != last) {
                    seq[n++] = val(current, last - index);
                }
            }
            // Step 3: put the new sequence in place of the old opcode.
            int oldLen = isXZero ? 2 : 1;
            int delta = n - oldLen;
            if (delta > 0 && len + delta > sparseMaxBytes) {
                return promote(index, count);
            }
            if (delta != 0 && next >= 0) {
                System.arraycopy(buf, next, buf, next + delta, len - next);
            }
            len += delta;
            System.arraycopy(seq, 0, buf, p, n);
        }

        // Step 4: merge adjacent VAL opcodes of equal value, scanning up to five opcodes from
        // the one before the edit.
        p = prev >= 0 ? prev : HEADER;
        for (int scan = 5; p < len && scan > 0; scan--) {
            int o = buf[p] & 0xff;
            if ((o & 0xc0) == 0x40) {
                p += 2;
                continue;
            }
            if ((o & 0xc0) == 0) {
                p++;
                continue;
            }
            if (p + 1 < len && (buf[p + 1] & 0x80) != 0) {
                int o2 = buf[p + 1] & 0xff;
                int v1 = ((o >> 2) & 0x1f) + 1;
                int v2 = ((o2 >> 2) & 0x1f) + 1;
                int merged = (o & 3) + 1 + (o2 & 3) + 1;
                if (v1 == v2 && merged <= VAL_MAX_LEN) {
                    buf[p + 1] = val(v1, merged);
                    System.arraycopy(buf, p + 1, buf, p, len - p - 1);
                    len--;
                    continue; // try the merged opcode against its right neighbour too
                }
            }
            p++;
        }
        invalidateCache();
        return 1;
    }

    /** Turns the sparse HLL dense, then sets the register there. */
    private int promote(int index, int count) {
        if (!toDense()) {
            return -1;
        }
        return denseSet(buf, index, count);
    }

    private void ensureRoom(int extra) {
        if (buf.length < len + extra) {
            buf = Arrays.copyOf(buf, len + Math.max(extra, len / 2));
        }
    }

    private static int putZeroRun(byte[] seq, int n, int run) {
        if (run > ZERO_MAX_LEN) {
            setXZero(seq, n, run);
            return n + 2;
        }
        seq[n] = (byte) (run - 1);
        return n + 1;
    }

    private static void setXZero(byte[] b, int p, int run) {
        int l = run - 1;
        b[p] = (byte) ((l >> 8) | 0x40);
        b[p + 1] = (byte) (l & 0xff);
    }

    private static byte val(int value, int run) {
        return (byte) (((value - 1) << 2 | (run - 1)) | 0x80);
    }

    /** Receives one run of equal registers of a sparse HLL; value 0 for ZERO and XZERO runs. */
    @FunctionalInterface
    private interface RunVisitor {
        void run(int first, int length, int value);
    }

    /**
     * Walks the opcodes of the sparse HLL in s[HEADER, len) in register order. False (and
     * the walk stops) when an opcode would run past the last register or the runs end short
     * of it: the data is corrupted.
     */
    private static boolean forEachRun(byte[] s, int len, RunVisitor visitor) {
        int idx = 0;
        for (int p = HEADER; p < len; ) {
            int op = s[p] & 0xff;
            int run = runLength(s, len, p);
            if (run + idx > REGISTERS) {
                return false;
            }
            visitor.run(idx, run, (op & 0x80) != 0 ? ((op >> 2) & 0x1f) + 1 : 0);
            idx += run;
            p += (op & 0xc0) == 0x40 ? 2 : 1;
        }
        return idx == REGISTERS;
    }

    /** The number of registers the opcode at p covers. */
    private static int runLength(byte[] s, int len, int p) {
        int op = s[p] & 0xff;
        if ((op & 0x80) != 0) {
            return (op & 3) + 1;
        }
        return (op & 0x40) != 0 ? xzeroLen(s, len, p) : (op & 0x3f) + 1;
    }

    private static int xzeroLen(byte[] s, int len, int p) {
        return (((s[p] & 0x3f) << 8) | u(s, len, p + 1)) + 1;
    }

    /** The unsigned byte at i, or 0 past the valid length (Redis reads its string terminator). */
    private static int u(byte[] s, int len, int i) {
        return i < len ? s[i] & 0xff : 0;
    }
}
