package io.redraft.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class SetValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void conversionsAtConfiguredLimits() {
        SetEncodingLimits limits = new SetEncodingLimits(4, 3, 5, 128, 64);
        SetValue s = new SetValue();
        for (int i = 0; i < 4; i++) {
            assertTrue(s.add(b(Integer.toString(i)), limits));
        }
        assertEquals("intset", s.encoding());
        assertTrue(s.add(b("4"), limits));
        assertEquals("hashtable", s.encoding(), "past set-max-intset-entries");

        SetValue t = new SetValue();
        t.add(b("1"), limits);
        t.add(b("abc"), limits);
        assertEquals("listpack", t.encoding());
        t.add(b("xyz"), limits);
        assertEquals("listpack", t.encoding());
        t.add(b("q"), limits);
        assertEquals("hashtable", t.encoding(), "past set-max-listpack-entries");

        SetValue u = new SetValue();
        u.add(b("123456"), limits);
        u.add(b("a"), limits);
        assertEquals("hashtable", u.encoding(), "an intset member longer than set-max-listpack-value");
        SetValue v = new SetValue();
        v.add(b("abcdef"), limits);
        assertEquals("hashtable", v.encoding(), "a member longer than set-max-listpack-value");
    }

    @Test
    void randomOperationsMatchModel() {
        SetEncodingLimits limits = new SetEncodingLimits(16, 8, 64, 128, 64);
        SplittableRandom r = new SplittableRandom(42);
        for (int round = 0; round < 20; round++) {
            SetValue s = new SetValue();
            Set<String> model = new HashSet<>();
            boolean strings = round % 2 == 0;
            for (int op = 0; op < 500; op++) {
                String m = strings && r.nextInt(4) == 0 ? "s" + r.nextInt(30) : Integer.toString(r.nextInt(40) - 10);
                if (r.nextInt(3) > 0) {
                    assertEquals(model.add(m), s.add(b(m), limits));
                } else {
                    assertEquals(model.remove(m), s.remove(b(m)));
                }
                assertEquals(model.size(), s.size());
                assertEquals(model.contains(m), s.contains(b(m)));
            }
            Set<String> got = new HashSet<>();
            s.forEach(m -> got.add(new String(m, StandardCharsets.UTF_8)));
            assertEquals(model, got);
            for (int i = 0; i < s.size(); i++) {
                assertTrue(model.contains(new String(s.memberAt(i), StandardCharsets.UTF_8)));
            }
            Set<String> copied = new HashSet<>();
            s.copy().forEach(m -> copied.add(new String(m, StandardCharsets.UTF_8)));
            assertEquals(model, copied);
        }
    }
}
