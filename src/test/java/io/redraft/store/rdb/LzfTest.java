package io.redraft.store.rdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LZF round trips over data whose back references overlap in every way the decoder handles. */
@Timeout(30)
class LzfTest {
    private static byte[] roundTrip(byte[] in) throws RdbFormatException {
        byte[] packed = new byte[in.length + in.length / 16 + 64];
        int n = Lzf.compress(in, in.length, packed, packed.length);
        assertTrue(n > 0, "compressible input");
        return Lzf.decompress(packed, 0, n, in.length);
    }

    @Test
    void runsOfOneByteAndPeriodicPatternsSurvive() throws RdbFormatException {
        for (int period = 1; period <= 40; period++) {
            byte[] in = new byte[1000 + period];
            for (int i = 0; i < in.length; i++) in[i] = (byte) ('a' + i % period);
            assertArrayEquals(in, roundTrip(in), "period " + period);
        }
    }

    @Test
    void randomMixesOfLiteralsAndRepeatsSurvive() throws RdbFormatException {
        Random r = new Random(42);
        for (int t = 0; t < 500; t++) {
            byte[] in = new byte[20 + r.nextInt(3000)];
            int i = 0;
            while (i < in.length) {
                int len = Math.min(in.length - i, 1 + r.nextInt(300));
                if (i > 0 && r.nextBoolean()) {
                    int from = r.nextInt(i);
                    for (int k = 0; k < len; k++) in[i + k] = in[from + k]; // may overlap what it writes
                } else {
                    for (int k = 0; k < len; k++) in[i + k] = (byte) ('a' + r.nextInt(4));
                }
                i += len;
            }
            assertArrayEquals(in, roundTrip(in), "trial " + t);
        }
    }

    @Test
    void aReferenceBeforeTheStartIsRejected() {
        // ctrl 0x20: a back reference of length 3 at distance 1, with nothing written yet.
        byte[] bad = {0x20, 0x00};
        assertThrows(RdbFormatException.class, () -> Lzf.decompress(bad, 0, bad.length, 3));
    }
}
