package io.redraft.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Random operations on SortedSetValue checked against a plain sorted-list model, in both
 * encodings (small limits force the skiplist early). Seeded, so a failure replays.
 */
@Timeout(60)
class SortedSetValueModelTest {
    record E(String member, double score) {
    }

    private static final Comparator<E> ORDER = (a, b) -> a.score != b.score ? Double.compare(a.score, b.score)
            : Arrays.compareUnsigned(b(a.member), b(b.member));

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void listpackEncodingMatchesModel() {
        for (long seed = 1; seed <= 5; seed++) {
            run(seed, new SetEncodingLimits(512, 128, 64, 100_000, 100_000), 300, "listpack");
        }
    }

    @Test
    void skiplistEncodingMatchesModel() {
        for (long seed = 1; seed <= 5; seed++) {
            run(seed, new SetEncodingLimits(512, 128, 64, 8, 64), 500, "skiplist");
        }
    }

    private void run(long seed, SetEncodingLimits limits, int universe, String expectedEncoding) {
        SplittableRandom r = new SplittableRandom(seed);
        SortedSetValue z = new SortedSetValue();
        Map<String, Double> model = new HashMap<>();
        for (int op = 0; op < 4000; op++) {
            String m = "m" + r.nextInt(universe);
            int kind = r.nextInt(10);
            if (kind < 6) {
                double score = r.nextInt(50) + (r.nextBoolean() ? 0.5 : 0); // many ties
                Double old = model.put(m, score);
                int res = z.add(b(m), score, limits);
                assertEquals(old == null ? SortedSetValue.ADDED : old == score ? SortedSetValue.UNCHANGED
                        : SortedSetValue.UPDATED, res, "seed " + seed + " op " + op);
            } else if (kind < 9) {
                assertEquals(model.remove(m) != null, z.remove(b(m)), "seed " + seed + " op " + op);
            } else if (!model.isEmpty()) {
                // remove a random rank range
                List<E> sorted = sorted(model);
                int from = r.nextInt(sorted.size());
                int to = Math.min(sorted.size() - 1, from + r.nextInt(5));
                assertEquals(to - from + 1, z.removeRanks(from, to));
                for (int i = from; i <= to; i++) {
                    model.remove(sorted.get(i).member);
                }
            }
            if (op % 50 == 0) {
                check(z, model, r, seed);
            }
        }
        check(z, model, r, seed);
        if (model.size() > 10) {
            assertEquals(expectedEncoding, z.encoding());
        }
    }

    private static List<E> sorted(Map<String, Double> model) {
        List<E> list = new ArrayList<>();
        model.forEach((k, v) -> list.add(new E(k, v)));
        list.sort(ORDER);
        return list;
    }

    private void check(SortedSetValue z, Map<String, Double> model, SplittableRandom r, long seed) {
        List<E> sorted = sorted(model);
        assertEquals(sorted.size(), z.size());
        List<E> got = new ArrayList<>();
        z.forEach((m, s) -> got.add(new E(new String(m, StandardCharsets.UTF_8), s)));
        assertEquals(sorted, got, "order, seed " + seed);
        for (int i = 0; i < sorted.size(); i++) {
            E e = sorted.get(i);
            assertEquals(i, z.rank(b(e.member)));
            assertEquals(e.score, z.score(b(e.member)));
            assertArrayEquals(b(e.member), z.memberAt(i));
            assertEquals(e.score, z.scoreAt(i));
        }
        assertEquals(-1, z.rank(b("absent")));
        assertTrue(Double.isNaN(z.score(b("absent"))));
        // score bounds: count of elements below x, both inclusive and exclusive
        for (int k = 0; k < 10; k++) {
            double x = r.nextInt(52) - 1 + (r.nextBoolean() ? 0.5 : 0);
            long below = sorted.stream().filter(e -> e.score < x).count();
            long belowOrEq = sorted.stream().filter(e -> e.score <= x).count();
            assertEquals(below, z.countBefore((s, m) -> s < x));
            assertEquals(belowOrEq, z.countBefore((s, m) -> s <= x));
        }
        // reverse walks from a random rank
        if (!sorted.isEmpty()) {
            int from = r.nextInt(sorted.size());
            List<String> back = new ArrayList<>();
            z.visit(from, from + 1, true, (m, s) -> back.add(new String(m, StandardCharsets.UTF_8)));
            for (int i = 0; i <= from; i++) {
                assertEquals(sorted.get(from - i).member, back.get(i));
            }
        }
        // the scan sees every member exactly once when nothing changes
        List<String> scanned = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = z.scan(cursor, 7, (m, s) -> scanned.add(new String(m, StandardCharsets.UTF_8)));
        } while (cursor != 0);
        assertEquals(model.keySet(), new java.util.HashSet<>(scanned));
        assertEquals(model.size(), scanned.size());
        SortedSetValue copy = z.copy();
        List<E> copied = new ArrayList<>();
        copy.forEach((m, s) -> copied.add(new E(new String(m, StandardCharsets.UTF_8), s)));
        assertEquals(sorted, copied);
    }
}
