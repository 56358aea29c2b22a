package io.redraft.store.rdb;

import io.redraft.store.RedisValue;
import io.redraft.store.ValueType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class DumpPayloadTest {
    @Test
    void dumpsExactlyWhatRedisDumps() throws Exception {
        for (Map.Entry<byte[], String> e : RedisPayloads.all().entrySet()) {
            assertEquals(e.getValue(), RedisPayloads.hex(DumpPayload.dump(e.getKey())),
                    "dump of " + new String(e.getKey(), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void restoresWhatRedisDumps() throws Exception {
        for (Map.Entry<byte[], String> e : RedisPayloads.all().entrySet()) {
            byte[] payload = RedisPayloads.hex(e.getValue());
            assertTrue(DumpPayload.verify(payload), e.getValue());
            assertArrayEquals(e.getKey(), (byte[]) DumpPayload.restore(payload), e.getValue());
        }
    }

    @Test
    void randomStringsRoundTrip() throws Exception {
        Random r = new Random(42);
        for (int i = 0; i < 2000; i++) {
            int len = r.nextInt(i < 1000 ? 100 : 70_000);
            byte[] v = new byte[len];
            int alphabet = 1 + r.nextInt(255); // small alphabets compress, large ones mostly do not
            for (int k = 0; k < len; k++) {
                v[k] = (byte) r.nextInt(alphabet);
            }
            byte[] payload = DumpPayload.dump(v);
            assertTrue(DumpPayload.verify(payload));
            assertArrayEquals(v, (byte[]) DumpPayload.restore(payload), "length " + len);
        }
    }

    @Test
    void verifyRefusesBadFooters() throws Exception {
        byte[] good = DumpPayload.dump("hello".getBytes(StandardCharsets.US_ASCII));
        assertTrue(DumpPayload.verify(good));
        assertFalse(DumpPayload.verify(new byte[9]));
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            assertFalse(DumpPayload.verify(bad), "flipped byte " + i);
        }
        // A newer RDB version is refused even with a correct checksum; an older one is accepted.
        assertFalse(DumpPayload.verify(withVersion(good, 11)));
        assertTrue(DumpPayload.verify(withVersion(good, 9)));
    }

    private static byte[] withVersion(byte[] payload, int version) {
        RdbEncoder out = new RdbEncoder();
        out.writeRaw(payload, 0, payload.length - 10);
        out.writeShortLE(version);
        out.writeLongLE(out.crc64());
        return out.toByteArray();
    }

    @Test
    void corruptBodiesAreFormatErrors() {
        // Valid footers around bodies that are not valid RDB strings.
        String[] bodies = {"", "00", "0005616263", "00c3", "00c30a0b0102", "00c4", "0081ffffffffffffffff", "05"};
        for (String body : bodies) {
            RdbEncoder out = new RdbEncoder();
            out.writeRaw(RedisPayloads.hex(body));
            out.writeShortLE(RdbType.RDB_VERSION);
            out.writeLongLE(out.crc64());
            byte[] payload = out.toByteArray();
            assertTrue(DumpPayload.verify(payload));
            assertThrows(RdbFormatException.class, () -> DumpPayload.restore(payload), body);
        }
    }

    @Test
    void otherTypesAreReportedUnsupported() {
        RedisValue list = new RedisValue() {
            public ValueType type() {
                return ValueType.LIST;
            }

            public String encoding() {
                return "quicklist";
            }

            public RedisValue copy() {
                return this;
            }

            public boolean isEmpty() {
                return false;
            }
        };
        UnsupportedTypeException e = assertThrows(UnsupportedTypeException.class, () -> DumpPayload.dump(list));
        assertEquals(ValueType.LIST, e.type());
    }

    @Test
    void lengthsUseAllFourForms() throws Exception {
        long[] lengths = {0, 63, 64, 16383, 16384, 0xffffffffL, 0x100000000L, Long.MAX_VALUE};
        RdbEncoder out = new RdbEncoder();
        for (long l : lengths) {
            out.writeLength(l);
        }
        byte[] b = out.toByteArray();
        assertEquals(1 + 1 + 2 + 2 + 5 + 5 + 9 + 9, b.length);
        RdbDecoder in = new RdbDecoder(b, 0, b.length);
        for (long l : lengths) {
            assertEquals(l, in.readLength());
        }
        assertEquals(0, in.remaining());
    }
}
