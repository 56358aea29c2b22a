package io.redraft.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Key and field tables list the same content in the same order, whatever their history. */
@Timeout(60)
class CanonicalChainsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static List<String> keys(KeyTable t) {
        List<String> out = new ArrayList<>();
        t.forEach(e -> out.add(new String(e.key(), StandardCharsets.US_ASCII)));
        return out;
    }

    private static List<String> scanned(KeyTable t) {
        List<String> out = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = t.scan(cursor, 7, e -> out.add(new String(e.key(), StandardCharsets.US_ASCII)));
        } while (cursor != 0);
        return out;
    }

    @Test
    void keyTableOrderIgnoresGrowthShrinkageAndInsertionOrder() {
        KeyTable grown = new KeyTable();
        for (int i = 0; i < 5000; i++) {
            grown.getOrCreate(b("k" + i));
        }
        for (int i = 0; i < 5000; i++) {
            if (i % 50 != 0) {
                grown.remove(b("k" + i));
            }
        }
        KeyTable fresh = new KeyTable();
        SplittableRandom r = new SplittableRandom(3);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 5000; i += 50) {
            order.add(i);
        }
        for (int i = order.size() - 1; i > 0; i--) {
            java.util.Collections.swap(order, i, r.nextInt(i + 1));
        }
        for (int i : order) {
            fresh.getOrCreate(b("k" + i));
        }
        assertEquals(100, grown.size());
        assertEquals(keys(grown), keys(fresh));
        assertEquals(keys(grown), scanned(grown));
        assertEquals(keys(fresh), scanned(fresh));
    }

    @Test
    void fieldTableOrderIgnoresHistory() {
        FieldTable grown = new FieldTable(0);
        for (int i = 0; i < 3000; i++) {
            grown.put(b("f" + i), b("v"));
        }
        for (int i = 0; i < 3000; i++) {
            if (i % 37 != 0) {
                grown.remove(b("f" + i));
            }
        }
        FieldTable fresh = new FieldTable(500);
        for (int i = 2997; i >= 0; i--) {
            if (i % 37 == 0) {
                fresh.put(b("f" + i), b("v"));
            }
        }
        List<String> a = new ArrayList<>();
        List<String> c = new ArrayList<>();
        grown.forEach((f, v) -> a.add(new String(f, StandardCharsets.US_ASCII)));
        fresh.forEach((f, v) -> c.add(new String(f, StandardCharsets.US_ASCII)));
        assertEquals(a, c);
        assertEquals(a, copyOrder(grown.copy()), "a copy lists its fields in the same order");
    }

    private static List<String> copyOrder(FieldTable t) {
        List<String> out = new ArrayList<>();
        t.forEach((f, v) -> out.add(new String(f, StandardCharsets.US_ASCII)));
        return out;
    }
}
