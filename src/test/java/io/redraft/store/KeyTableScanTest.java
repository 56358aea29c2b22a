package io.redraft.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The SCAN guarantee on {@link KeyTable}: a key present from the start to the end of a full
 * iteration is returned at least once, even when the table grows and shrinks between calls.
 */
@Timeout(60)
class KeyTableScanTest {
    @Test
    void stableTableIsScannedExactlyOnce() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 5000; i++) {
            t.getOrCreate(key("k" + i));
        }
        List<String> seen = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = t.scan(cursor, 7, e -> seen.add(str(e.key())));
        } while (cursor != 0);
        assertEquals(5000, seen.size(), "no duplicates without a resize");
        assertEquals(5000, new HashSet<>(seen).size());
    }

    @Test
    void keysPresentThroughoutSurviveGrowthAndShrinkBetweenCalls() {
        for (long seed = 1; seed <= 30; seed++) {
            Random r = new Random(seed);
            KeyTable t = new KeyTable();
            Set<String> present = new HashSet<>();
            int initial = r.nextInt(3000);
            int next = 0;
            for (; next < initial; next++) {
                String k = "k" + next;
                t.getOrCreate(key(k));
                present.add(k);
            }
            Set<String> stable = new HashSet<>(present); // present at start; shrinks as keys are deleted
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            int calls = 0;
            do {
                cursor = t.scan(cursor, 1 + r.nextInt(20), e -> seen.add(str(e.key())));
                calls++;
                // Between calls: grow a lot, shrink a lot, or churn a little, so the table resizes
                // in both directions during the scan.
                int phase = (calls / 10) % 3;
                int ops = r.nextInt(phase == 2 ? 20 : 400);
                for (int i = 0; i < ops; i++) {
                    boolean insert = phase == 0 || (phase == 2 && r.nextBoolean());
                    if (insert) {
                        String k = "k" + next++;
                        t.getOrCreate(key(k));
                        present.add(k);
                    } else if (!present.isEmpty()) {
                        String victim = present.iterator().next();
                        t.remove(key(victim));
                        present.remove(victim);
                        stable.remove(victim);
                    }
                }
                assertTrue(calls < 1_000_000, "scan must terminate");
            } while (cursor != 0);
            Set<String> missed = new HashSet<>(stable);
            missed.removeAll(seen);
            assertTrue(missed.isEmpty(), "seed " + seed + ": missed " + missed.size() + " keys present throughout");
        }
    }

    @Test
    void emptyTableEndsAtOnce() {
        KeyTable t = new KeyTable();
        assertEquals(0, t.scan(0, 10, e -> fail("nothing to visit")));
        assertEquals(0, t.scan(12345, 10, e -> fail("nothing to visit")));
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
