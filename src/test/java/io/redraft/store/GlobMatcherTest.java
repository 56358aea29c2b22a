package io.redraft.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class GlobMatcherTest {
    /** The keys a redis-server 7.0.15 held when the expectations below were captured with KEYS. */
    private static final String[] KEYS = {"hello", "hallo", "hllo", "heeeello", "hillo", "hbllo", "hcllo", "*", "a",
            "ab", "abc", "aXbYc", "a]", "\\", "a-", "b", "^", "x\\y", "]", "-", "abc]", "HELLO"};

    /** pattern, then the keys KEYS pattern returned (sorted), from real Redis. */
    private static final String[][] CASES = {
            {"h?llo", "hallo", "hbllo", "hcllo", "hello", "hillo"},
            {"h*llo", "hallo", "hbllo", "hcllo", "heeeello", "hello", "hillo", "hllo"},
            {"h[ae]llo", "hallo", "hello"},
            {"h[^e]llo", "hallo", "hbllo", "hcllo", "hillo"},
            {"h[a-b]llo", "hallo", "hbllo"},
            {"h[b-a]llo", "hallo", "hbllo"},
            {"\\*", "*"},
            {"a*b*c", "aXbYc", "abc"},
            {"abc*", "abc", "abc]"},
            {"[abc", "a", "b"},
            {"[a", "a"},
            {"a["},
            {"a[]]"},
            {"[]]"},
            {"[\\]]", "]"},
            {"a\\"},
            {"[a-]", "]", "^", "a"},
            {"a[-]", "a-"},
            {"[^]", "*", "-", "\\", "]", "^", "a", "b"},
            {"x\\\\y", "x\\y"},
            {"x\\y"},
            {"[!a]*", "a", "a-", "aXbYc", "a]", "ab", "abc", "abc]"},
            {"**a**", "a", "a-", "aXbYc", "a]", "ab", "abc", "abc]", "hallo"},
            {"a*?", "a-", "aXbYc", "a]", "ab", "abc", "abc]"},
            {"abc]", "abc]"},
            {"[a-c]]", "a]"},
            {"h[A-Z]llo"},
            {"[[]"},
            {"\\", "\\"},
    };

    @Test
    void matchesLikeRedisKeys() {
        for (String[] c : CASES) {
            byte[] pattern = c[0].getBytes(StandardCharsets.UTF_8);
            List<String> got = new ArrayList<>();
            for (String k : KEYS) {
                if (GlobMatcher.matches(pattern, k.getBytes(StandardCharsets.UTF_8), false)) {
                    got.add(k);
                }
            }
            TreeSet<String> expected = new TreeSet<>(Arrays.asList(c).subList(1, c.length));
            assertEquals(expected, new TreeSet<>(got), "pattern " + c[0]);
        }
    }

    @Test
    void starMatchesEverythingIncludingEmpty() {
        assertTrue(match("*", ""));
        assertTrue(match("*", "anything"));
        assertTrue(match("", ""));
        assertFalse(match("", "a"));
        assertFalse(match("?", ""));
    }

    @Test
    void noCaseFoldsLettersAndRanges() {
        assertTrue(GlobMatcher.matches(b("h[A-Z]llo"), b("hello"), true));
        assertTrue(GlobMatcher.matches(b("HEL*"), b("hello"), true));
        assertFalse(GlobMatcher.matches(b("HEL*"), b("hello"), false));
    }

    @Test
    void binarySafe() {
        byte[] key = {0, (byte) 0xff, 'a', 0};
        assertTrue(GlobMatcher.matches(new byte[]{0, '?', 'a', '*'}, key, false));
        assertFalse(GlobMatcher.matches(new byte[]{1, '*'}, key, false));
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a CPU loop ignores interrupts
    void hostilePatternTerminates() {
        String pattern = "a*".repeat(40) + "b";
        assertFalse(match(pattern, "a".repeat(60)));
    }

    private static boolean match(String p, String s) {
        return GlobMatcher.matches(b(p), b(s), false);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
