package io.redraft.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class ListValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> contents(ListValue l) {
        List<String> out = new ArrayList<>();
        l.forRange(0, l.size() - 1, e -> out.add(new String(e, StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void countFillConvertsPastLimitAndBackAtHalf() {
        EncodingLimits lim = EncodingLimits.of(128, 64, 4);
        ListValue l = new ListValue();
        for (int i = 0; i < 4; i++) {
            l.push(b("e" + i), false, lim);
        }
        assertEquals("listpack", l.encoding());
        l.push(b("e4"), false, lim);
        assertEquals("quicklist", l.encoding());
        assertEquals(2, l.nodeCount());
        l.pop(false, lim); // back to one node of 4 > 4/2: hysteresis keeps the quicklist
        assertEquals("quicklist", l.encoding());
        l.pop(false, lim);
        l.pop(false, lim);
        assertEquals("listpack", l.encoding());
        assertEquals(List.of("e0", "e1"), contents(l));
    }

    @Test
    void defaultSizeFillConvertsAtEightKilobytes() {
        EncodingLimits lim = EncodingLimits.DEFAULTS; // -2: 8 KiB per node
        ListValue l = new ListValue();
        byte[] v = new byte[100]; // 100 + 2 bytes per entry; header 7
        int fit = (8192 - 7) / ListValue.entryBytes(v);
        for (int i = 0; i < fit; i++) {
            l.push(v, true, lim);
        }
        assertEquals("listpack", l.encoding());
        l.push(v, true, lim);
        assertEquals("quicklist", l.encoding());
        // A single element larger than a node also makes a quicklist.
        ListValue big = new ListValue();
        big.push(new byte[9000], false, lim);
        assertEquals("quicklist", big.encoding());
    }

    @Test
    void matchesAReferenceModelUnderRandomOperations() {
        for (int fill : new int[] {1, 2, 3, 16, -1, -2}) {
            EncodingLimits lim = EncodingLimits.of(128, 64, fill);
            SplittableRandom r = new SplittableRandom(fill + 100);
            ListValue l = new ListValue();
            List<String> model = new ArrayList<>();
            for (int step = 0; step < 20000; step++) {
                String v = r.nextInt(4) == 0 ? "x".repeat(r.nextInt(3000)) : "v" + r.nextInt(20);
                int op = r.nextInt(9);
                switch (op) {
                    case 0 -> { l.push(b(v), true, lim); model.add(0, v); }
                    case 1 -> { l.push(b(v), false, lim); model.add(v); }
                    case 2 -> {
                        byte[] p = l.pop(false, lim);
                        if (p == null) {
                            assertTrue(model.isEmpty());
                        } else {
                            assertEquals(model.remove(model.size() - 1), new String(p, StandardCharsets.UTF_8));
                        }
                    }
                    case 3 -> {
                        if (!model.isEmpty()) {
                            int i = r.nextInt(model.size());
                            assertTrue(l.set(i, b(v), lim));
                            model.set(i, v);
                        }
                    }
                    case 4 -> {
                        String pivot = "v" + r.nextInt(20);
                        boolean after = r.nextBoolean();
                        int i = model.indexOf(pivot);
                        assertEquals(i >= 0, l.insertNextTo(b(pivot), b(v), after, lim));
                        if (i >= 0) {
                            model.add(after ? i + 1 : i, v);
                        }
                    }
                    case 5 -> {
                        String target = "v" + r.nextInt(20);
                        long count = r.nextInt(5) - 2;
                        long removed = l.remove(b(target), count, lim);
                        long expected = removeFromModel(model, target, count);
                        assertEquals(expected, removed);
                    }
                    case 6 -> {
                        if (r.nextInt(20) == 0) {
                            long h = r.nextInt(5);
                            long t = r.nextInt(5);
                            l.trim(h, t, lim);
                            for (int i = 0; i < h && !model.isEmpty(); i++) {
                                model.remove(0);
                            }
                            for (int i = 0; i < t && !model.isEmpty(); i++) {
                                model.remove(model.size() - 1);
                            }
                        }
                    }
                    case 7 -> {
                        if (!model.isEmpty()) {
                            int i = r.nextInt(model.size());
                            assertEquals(model.get(i), new String(l.get(i), StandardCharsets.UTF_8));
                            assertEquals(model.get(i), new String(l.get(i - model.size()), StandardCharsets.UTF_8));
                        }
                        assertNull(l.get(model.size()));
                    }
                    default -> {
                        if (!model.isEmpty()) {
                            assertEquals(model.remove(0), new String(l.pop(true, lim), StandardCharsets.UTF_8));
                        }
                    }
                }
                assertEquals(model.size(), l.size());
            }
            assertEquals(model, contents(l), "fill " + fill);
            ListValue copy = l.copy();
            l.push(b("after-copy"), false, lim);
            assertEquals(model, contents(copy));
        }
    }

    private static long removeFromModel(List<String> model, String v, long count) {
        long removed = 0;
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        if (count >= 0) {
            for (int i = 0; i < model.size() && removed < limit; ) {
                if (model.get(i).equals(v)) {
                    model.remove(i);
                    removed++;
                } else {
                    i++;
                }
            }
        } else {
            for (int i = model.size() - 1; i >= 0 && removed < limit; i--) {
                if (model.get(i).equals(v)) {
                    model.remove(i);
                    removed++;
                }
            }
        }
        return removed;
    }

    @Test
    void visitReportsLindexIndexesFromEitherEnd() {
        EncodingLimits lim = EncodingLimits.of(128, 64, 2);
        ListValue l = new ListValue();
        for (String s : new String[] {"a", "b", "a", "c", "a"}) {
            l.push(b(s), false, lim);
        }
        List<Long> fwd = new ArrayList<>();
        l.visit(false, (i, e) -> {
            if (e[0] == 'a') {
                fwd.add(i);
            }
            return true;
        });
        List<Long> back = new ArrayList<>();
        l.visit(true, (i, e) -> {
            if (e[0] == 'a') {
                back.add(i);
            }
            return back.size() < 2;
        });
        assertEquals(List.of(0L, 2L, 4L), fwd);
        assertEquals(List.of(4L, 2L), back);
    }
}
