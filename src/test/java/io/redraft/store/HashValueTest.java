package io.redraft.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class HashValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void convertsPastTheEntryLimitAndNeverBack() {
        EncodingLimits lim = EncodingLimits.of(128, 64, -2);
        HashValue h = new HashValue();
        for (int i = 0; i < 128; i++) {
            assertTrue(h.put(b("f" + i), b("v"), lim));
        }
        assertEquals("listpack", h.encoding());
        assertFalse(h.put(b("f0"), b("w"), lim)); // overwrite: still 128
        assertEquals("listpack", h.encoding());
        assertTrue(h.put(b("f128"), b("v"), lim));
        assertEquals("hashtable", h.encoding());
        for (int i = 0; i < 120; i++) {
            assertTrue(h.remove(b("f" + i)));
        }
        assertEquals("hashtable", h.encoding());
        assertEquals(9, h.size());
        assertArrayEquals(b("v"), h.get(b("f128")));
    }

    @Test
    void convertsOnALongFieldOrValue() {
        EncodingLimits lim = EncodingLimits.DEFAULTS;
        HashValue h = new HashValue();
        h.put(b("a"), new byte[64], lim);
        assertEquals("listpack", h.encoding());
        h.put(b("b"), new byte[65], lim);
        assertEquals("hashtable", h.encoding());
        HashValue g = new HashValue();
        g.put(new byte[65], b("v"), lim);
        assertEquals("hashtable", g.encoding());
        assertEquals(1, g.size());
    }

    @Test
    void scanReturnsEveryElementPresentThroughoutEvenWhileTheTableGrowsAndShrinks() {
        EncodingLimits lim = EncodingLimits.DEFAULTS;
        SplittableRandom r = new SplittableRandom(5);
        for (int round = 0; round < 20; round++) {
            HashValue h = new HashValue();
            for (int i = 0; i < 300; i++) {
                h.put(b("stable" + i), b("v"), lim);
            }
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            int extra = 0;
            do {
                cursor = h.scan(cursor, 7, (f, v) -> seen.add(new String(f, StandardCharsets.UTF_8)));
                // Churn between calls: grow a lot, or shrink by removing the churned fields.
                if (r.nextBoolean()) {
                    for (int i = 0; i < 200; i++) {
                        h.put(b("extra" + extra++), b("v"), lim);
                    }
                } else {
                    for (int i = 0; i < extra; i++) {
                        h.remove(b("extra" + i));
                    }
                }
            } while (cursor != 0);
            for (int i = 0; i < 300; i++) {
                assertTrue(seen.contains("stable" + i), "missed stable" + i);
            }
        }
    }

    @Test
    void packedScanReturnsEverythingAtOnce() {
        HashValue h = new HashValue();
        h.put(b("a"), b("1"), EncodingLimits.DEFAULTS);
        h.put(b("b"), b("2"), EncodingLimits.DEFAULTS);
        Map<String, String> got = new HashMap<>();
        assertEquals(0, h.scan(0, 1, (f, v) -> got.put(new String(f), new String(v))));
        assertEquals(Map.of("a", "1", "b", "2"), got);
    }

    @Test
    void copyIsIndependentAndRandomPairsComeFromTheHash() {
        EncodingLimits lim = EncodingLimits.of(4, 64, -2);
        HashValue h = new HashValue();
        for (int i = 0; i < 10; i++) {
            h.put(b("f" + i), b("v" + i), lim);
        }
        HashValue c = h.copy();
        h.remove(b("f1"));
        assertEquals(10, c.size());
        assertArrayEquals(b("v1"), c.get(b("f1")));
        byte[][] pair = new byte[2][];
        SplittableRandom r = new SplittableRandom(1);
        Set<String> fields = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            c.randomPair(r, pair);
            assertArrayEquals(c.get(pair[0]), pair[1]);
            fields.add(new String(pair[0]));
        }
        assertEquals(10, fields.size(), "sampling reaches every field");
    }

    @Test
    void randomDistinctGivesDistinctRealPairsOnBothPaths() {
        HashValue h = new HashValue();
        for (int i = 0; i < 1000; i++) {
            h.put(b("f" + i), b("v" + i), EncodingLimits.DEFAULTS);
        }
        SplittableRandom r = new SplittableRandom(9);
        for (int count : new int[] {1, 10, 300, 334, 999}) { // sampling below size/3, shuffle above
            Set<String> fields = new HashSet<>();
            h.randomDistinct(r, count, (f, v) -> {
                assertArrayEquals(h.get(f), v);
                assertTrue(fields.add(new String(f)), "duplicate field");
            });
            assertEquals(count, fields.size());
        }
    }
}
