package io.redraft.store;

/**
 * The cardinality estimate Redis (5.0 and later) computes from an HLL's register histogram:
 * Otmar Ertl's improved raw estimator ("New cardinality estimation algorithms for HyperLogLog
 * sketches", arXiv:1702.01284). The floating-point operations run in the same order as Redis's,
 * so the rounded result is the same integer Redis reports.
 */
final class HllEstimator {
    /** 0.5 / ln(2), the bias correction constant for an unbounded number of registers. */
    private static final double ALPHA_INF = 0.721347520444481703680;

    private HllEstimator() {
    }

    /**
     * @param histogram histogram[v] = number of registers holding v (64 slots); registers
     *                  number {@link HyperLogLog#REGISTERS}
     */
    static long estimate(int[] histogram) {
        double m = HyperLogLog.REGISTERS;
        int q = HyperLogLog.Q;
        double z = m * tau((m - histogram[q + 1]) / m);
        for (int j = q; j >= 1; j--) {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        return roundHalfAway(ALPHA_INF * m * m / z);
    }

    private static double sigma(double x) {
        if (x == 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        double y = 1;
        double z = x;
        double previous;
        do {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        } while (previous != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0.0 || x == 1.0) {
            return 0.0;
        }
        double y = 1.0;
        double z = 1 - x;
        double previous;
        do {
            x = Math.sqrt(x);
            previous = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y; // pow(d, 2) is exactly d * d, correctly rounded
        } while (previous != z);
        return z / 3;
    }

    /**
     * C's llroundl on x86-64 for a non-negative value: halves round away from zero, and a
     * value out of range (infinity, when every register is saturated) gives LLONG_MIN, which
     * Redis then reports as is.
     */
    private static long roundHalfAway(double v) {
        if (!(v < 0x1p63)) {
            return Long.MIN_VALUE;
        }
        if (!(v > 0)) {
            return 0;
        }
        long t = (long) v;
        return v - t >= 0.5 ? t + 1 : t;
    }
}
