package io.redraft.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The HLL representation on its own: sparse edits agree with dense registers, validation, counts. */
@Timeout(60)
class HyperLogLogTest {
    private static final long NO_LIMIT = Long.MAX_VALUE;

    @Test
    void emptyHllIsSparseAndCountsZero() {
        byte[] empty = HyperLogLog.create().toBytes();
        assertEquals(18, empty.length);
        assertTrue(HyperLogLog.isValid(empty));
        assertFalse(HyperLogLog.isDense(empty));
        assertTrue(HyperLogLog.hasCachedCardinality(empty));
        assertEquals("Z:16384", HyperLogLog.decodeSparse(empty));
        assertEquals(0, HyperLogLog.count(empty).orElseThrow());
    }

    @Test
    void elementHashesToRedisRegister() {
        // redis-server 7.0.15: PFADD h a; PFDEBUG DECODE h -> "Z:12711 v:2,1 Z:3672"
        HyperLogLog h = HyperLogLog.create();
        assertEquals(1, h.add("a".getBytes(StandardCharsets.UTF_8), NO_LIMIT));
        assertEquals(0, h.add("a".getBytes(StandardCharsets.UTF_8), NO_LIMIT));
        assertEquals("Z:12711 v:2,1 Z:3672", HyperLogLog.decodeSparse(h.toBytes()));
        assertFalse(HyperLogLog.hasCachedCardinality(h.toBytes()));
    }

    @Test
    void sparseEditsMatchDenseRegisters() {
        SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 50; round++) {
            HyperLogLog sparse = HyperLogLog.create();
            HyperLogLog dense = HyperLogLog.create();
            assertTrue(dense.toDense());
            int[] expected = new int[HyperLogLog.REGISTERS];
            int edits = 1 + random.nextInt(400);
            for (int e = 0; e < edits; e++) {
                // clustered indexes exercise VAL splits and merges, not only XZERO splits
                int index = random.nextInt(4) == 0 ? random.nextInt(HyperLogLog.REGISTERS)
                        : 8000 + random.nextInt(64);
                int count = 1 + random.nextInt(32);
                int changed = count > expected[index] ? 1 : 0;
                expected[index] = Math.max(expected[index], count);
                assertEquals(changed, sparse.set(index, count, NO_LIMIT));
                assertEquals(changed, dense.set(index, count, NO_LIMIT));
            }
            assertFalse(sparse.isDense());
            byte[] s = sparse.toBytes();
            assertEquals(HyperLogLog.count(dense.toBytes()), HyperLogLog.count(s));
            byte[] max = new byte[HyperLogLog.REGISTERS];
            assertTrue(HyperLogLog.mergeInto(s, max));
            for (int i = 0; i < max.length; i++) {
                assertEquals(expected[i], max[i], "register " + i);
            }
            assertTrue(sparse.toDense());
            assertArrayEquals(expected, HyperLogLog.denseRegisters(sparse.toBytes()));
            assertArrayEquals(expected, HyperLogLog.denseRegisters(dense.toBytes()));
        }
    }

    @Test
    void promotionAtTheSizeLimitAndForLargeValues() {
        HyperLogLog h = HyperLogLog.create();
        for (int i = 0; i < 10; i++) {
            h.set(i * 100, 1, 30);
        }
        assertTrue(h.isDense(), "grew past 30 bytes");
        assertEquals(HyperLogLog.DENSE_SIZE, h.toBytes().length);
        HyperLogLog big = HyperLogLog.create();
        assertEquals(1, big.set(7, 33, NO_LIMIT));
        assertTrue(big.isDense(), "33 does not fit a VAL opcode");
        assertEquals(33, HyperLogLog.denseRegisters(big.toBytes())[7]);
    }

    @Test
    void validation() {
        assertFalse(HyperLogLog.isValid("HYLL".getBytes(StandardCharsets.ISO_8859_1)));
        byte[] dense = HyperLogLog.create().toBytes();
        dense[4] = 2;
        assertFalse(HyperLogLog.isValid(dense), "unknown encoding");
        dense[4] = 0;
        assertFalse(HyperLogLog.isValid(dense), "dense of the wrong size");
        byte[] magic = HyperLogLog.create().toBytes();
        magic[0] = 'h';
        assertFalse(HyperLogLog.isValid(magic));
    }

    @Test
    void corruptedSparseDataIsReported() {
        byte[] shortRun = Arrays.copyOf(HyperLogLog.create().toBytes(), 18);
        shortRun[16] = 0x40; // XZERO of 17 registers only
        shortRun[17] = 0x10;
        assertTrue(HyperLogLog.count(shortRun).isEmpty());
        assertFalse(HyperLogLog.mergeInto(shortRun, new byte[HyperLogLog.REGISTERS]));
        assertFalse(HyperLogLog.edit(shortRun).toDense());
        assertEquals(-1, HyperLogLog.edit(shortRun).set(16000, 3, NO_LIMIT));
    }

    @Test
    void saturatedRegistersEstimateLikeRedis() {
        byte[] dense = new byte[HyperLogLog.DENSE_SIZE];
        System.arraycopy(HyperLogLog.create().toBytes(), 0, dense, 0, 16);
        dense[4] = 0;
        Arrays.fill(dense, 16, dense.length, (byte) 0xff);
        // every register 63: Redis's llroundl overflows to LLONG_MIN (checked on redis-server 7.0.15)
        assertEquals(Long.MIN_VALUE, HyperLogLog.count(dense).orElseThrow());
    }
}
