package io.redraft.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link HashSlot} agrees with Redis Cluster's slots (Jedis implements them for its cluster client). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HashSlotTest {
    @Test
    void knownSlots() {
        // Redis's CRC16 check value: crc16("123456789") = 0x31C3.
        assertEquals(0x31C3, HashSlot.crc16("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9));
        assertEquals(12182, HashSlot.of("foo".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(HashSlot.of("bar".getBytes()), HashSlot.of("{bar}.x".getBytes()));
        assertEquals(HashSlot.of("{}x".getBytes()), JedisClusterCRC16.getSlot("{}x"));
    }

    @Test
    void randomKeysAndHashTagsMatchJedis() {
        SplittableRandom r = new SplittableRandom(5);
        String alphabet = "ab{}c:";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(12);
            for (int i = 0; i < len; i++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String key = sb.toString();
            assertEquals(JedisClusterCRC16.getSlot(key), HashSlot.of(key.getBytes(StandardCharsets.UTF_8)), key);
        }
    }
}
