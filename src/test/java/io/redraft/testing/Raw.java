package io.redraft.testing;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Sends a command exactly as written and decodes the reply into plain Java values (String for
 * bulk and status strings, Long, List, null), so tests can assert whole replies in one line.
 */
public final class Raw {
    private Raw() {
    }

    public static Object call(Jedis jedis, String... argv) {
        byte[][] args = new byte[argv.length - 1][];
        for (int i = 1; i < argv.length; i++) {
            args[i - 1] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        byte[] name = argv[0].getBytes(StandardCharsets.UTF_8);
        return decode(jedis.sendCommand(() -> name, args));
    }

    /** The error text the command fails with. */
    public static String error(Jedis jedis, String... argv) {
        return assertThrows(JedisDataException.class, () -> call(jedis, argv), Arrays.toString(argv)).getMessage();
    }

    private static Object decode(Object o) {
        if (o instanceof byte[]) {
            return new String((byte[]) o, StandardCharsets.UTF_8);
        }
        if (o instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object e : (List<?>) o) {
                out.add(decode(e));
            }
            return out;
        }
        return o;
    }

    /** List.of that allows nulls, for expected replies. */
    public static List<Object> list(Object... items) {
        return Arrays.asList(items);
    }
}
