package io.redraft.resp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** Expected strings are what redis-server 7.0.15 (x86-64) replied to the same HINCRBYFLOATs. */
@Timeout(10)
class LongDoubleTest {
    private static String add(String a, String b) {
        BigDecimal x = LongDouble.parse(a.getBytes(StandardCharsets.US_ASCII));
        BigDecimal y = LongDouble.parse(b.getBytes(StandardCharsets.US_ASCII));
        return LongDouble.format(LongDouble.add(x, y));
    }

    @Test
    void matchesRedisLongDoubleResults() {
        assertEquals("0.3", add("0.1", "0.2"));
        assertEquals("1001.59999999999999998", add("1001.5", "0.1"));
        assertEquals("100001", add("1e5", "1"));
        assertEquals("100000.89999999999999858", add("100001", "-0.1"));
        assertEquals("1.5", add("0", "1.5"));
        assertEquals("0", add("-0", "0"));
        assertEquals("3595386269724631399918420935482088680967728938886583569706288415303532570462487927094037372167741711"
                + "2885758683885104137861741672690227211071579455605295523414699795537257678967123632658809118886985907"
                + "4894581254961338834769297758245552436667197907705664206565009503223382416235440319971852753604933726679072768",
                add("1.7976931348623157e308", "1.7976931348623157e308"));
    }

    @Test
    void rejectsWhatStrtoldRedisRejects() {
        for (String bad : new String[] {"", "abc", " 1", "1 ", "nan", "1.5x"}) {
            assertNull(LongDouble.parse(bad.getBytes(StandardCharsets.US_ASCII)), bad);
        }
        assertTrue(LongDouble.isInfinity("-inf".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(LongDouble.isInfinity("+Infinity".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(LongDouble.isInfinity("1e400".getBytes(StandardCharsets.US_ASCII)));
        assertNotNull(LongDouble.parse("1e400".getBytes(StandardCharsets.US_ASCII)), "finite in long double");
    }
}
