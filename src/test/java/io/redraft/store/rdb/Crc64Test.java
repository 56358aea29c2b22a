package io.redraft.store.rdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class Crc64Test {
    @Test
    void matchesRedisCheckValues() {
        // The check value of CRC-64/Jones as Redis's crc64.c tests it.
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)));
        // The footer of a payload redis-server 7.0.15 dumped for the string "12".
        assertEquals(0xd5bc045c51f82a3cL, Crc64.of(RedisPayloads.hex("00c00c0a00")));
        assertEquals(0, Crc64.of(new byte[0]));
    }

    @Test
    void slicedPathAgreesWithBytewiseDefinition() {
        Random r = new Random(7);
        for (int n = 0; n < 300; n++) {
            byte[] data = new byte[n];
            r.nextBytes(data);
            assertEquals(bitwise(data), Crc64.of(data), "length " + n);
        }
    }

    @Test
    void updateIsIncremental() {
        byte[] data = new byte[1000];
        new Random(3).nextBytes(data);
        long whole = Crc64.of(data);
        for (int split = 0; split <= data.length; split += 37) {
            long crc = Crc64.update(0, data, 0, split);
            assertEquals(whole, Crc64.update(crc, data, split, data.length - split));
        }
    }

    /** The definition, one bit at a time: reflected Jones polynomial, init 0, no final xor. */
    private static long bitwise(byte[] data) {
        long crc = 0;
        for (byte b : data) {
            crc ^= b & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x95ac9329ac4bc9b5L : crc >>> 1;
            }
        }
        return crc;
    }
}
