package io.redraft.store;

import java.util.random.RandomGenerator;

/**
 * PFSELFTEST: Redis's self-check of the HLL implementation, run against ours. It checks that
 * every dense register keeps what was written without disturbing its neighbours, then adds ten
 * million distinct elements to a dense and a sparse HLL side by side, checking at 1, 10, 100...
 * that the sparse one is still sparse while small, that both estimate the same, and that the
 * error stays within six standard errors.
 */
public final class HllSelfTest {
    private static final int CYCLES = 1000;
    private static final int ELEMENTS = 10_000_000;

    private HllSelfTest() {
    }

    /** Null when every check passes, else the TESTFAILED error text. */
    public static String run(RandomGenerator random, long sparseMaxBytes) {
        byte[] registers = new byte[HyperLogLog.DENSE_SIZE + 1];
        int[] expected = new int[HyperLogLog.REGISTERS];
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                expected[i] = random.nextInt(64);
                HyperLogLog.denseWrite(registers, i, expected[i]);
            }
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                int got = HyperLogLog.denseRead(registers, HyperLogLog.DENSE_SIZE, i);
                if (got != expected[i]) {
                    return "TESTFAILED Register " + i + " should be " + expected[i] + " but is " + got;
                }
            }
        }

        HyperLogLog dense = HyperLogLog.create();
        dense.toDense();
        HyperLogLog sparse = HyperLogLog.create();
        double relativeError = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
        long seed = random.nextLong();
        byte[] element = new byte[8];
        long checkpoint = 1;
        for (long j = 1; j <= ELEMENTS; j++) {
            long e = j ^ seed;
            for (int b = 0; b < 8; b++) {
                element[b] = (byte) (e >>> (8 * b));
            }
            dense.add(element, sparseMaxBytes);
            sparse.add(element, sparseMaxBytes);
            if (j != checkpoint) {
                continue;
            }
            if (j < sparseMaxBytes / 2 && sparse.isDense()) {
                return "TESTFAILED sparse encoding not used";
            }
            long denseCount = HyperLogLog.count(dense.toBytes()).orElseThrow();
            if (HyperLogLog.count(sparse.toBytes()).orElse(-1) != denseCount) {
                return "TESTFAILED dense/sparse disagree";
            }
            long maxError = (long) Math.ceil(relativeError * 6 * checkpoint);
            if (j == 10) {
                maxError = 1; // as Redis: collisions make larger errors at 10 too likely otherwise
            }
            long absError = Math.abs(checkpoint - denseCount);
            if (absError > maxError) {
                return "TESTFAILED Too big error. card:" + checkpoint + " abserr:" + absError;
            }
            checkpoint *= 10;
        }
        return null;
    }
}
