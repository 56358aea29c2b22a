package io.redraft.command;

import io.redraft.store.KeyEntry;
import io.redraft.store.RedisValue;
import io.redraft.store.ValueType;
import io.redraft.testing.TestServer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Raw command helpers for the string and bitmap tests: exact replies and error texts. */
final class StringTestSupport {
    static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    private StringTestSupport() {
    }

    /** Sends a command; bulk replies come back as Strings (ISO-8859-1), arrays as Lists. */
    static Object call(Jedis jedis, String... args) {
        byte[][] rest = new byte[args.length - 1][];
        for (int i = 1; i < args.length; i++) {
            rest[i - 1] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return decode(jedis.sendCommand(name(args[0]), rest));
    }

    /** The error message a command fails with. */
    static String error(Jedis jedis, String... args) {
        return assertThrows(JedisDataException.class, () -> call(jedis, args)).getMessage();
    }

    static void assertError(Jedis jedis, String expected, String... args) {
        assertEquals(expected, error(jedis, args), () -> String.join(" ", args));
    }

    static List<Object> list(Object... items) {
        return Arrays.asList(items);
    }

    private static ProtocolCommand name(String command) {
        byte[] raw = command.getBytes(StandardCharsets.US_ASCII);
        return () -> raw;
    }

    private static Object decode(Object reply) {
        if (reply instanceof byte[] b) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        if (reply instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(decode(o));
            }
            return out;
        }
        return reply;
    }

    /**
     * Puts a value of another type at key, straight into database 0 (the test talks to the
     * keyspace between commands, when its thread is idle), so WRONGTYPE paths can be tested
     * without depending on other command families.
     */
    static void putOtherType(TestServer server, String key) {
        server.server().context().keyspace().db(0).put(key.getBytes(StandardCharsets.UTF_8), new OtherType(), false);
    }

    /** The absolute deadline of key in database 0, or NO_EXPIRY. */
    static long deadline(TestServer server, String key) {
        KeyEntry e = server.server().context().keyspace().db(0)
                .lookupRead(key.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
        return e == null ? -2 : e.expireAt();
    }

    private static final class OtherType implements RedisValue {
        @Override
        public ValueType type() {
            return ValueType.LIST;
        }

        @Override
        public String encoding() {
            return "listpack";
        }

        @Override
        public RedisValue copy() {
            return this;
        }

        @Override
        public boolean isEmpty() {
            return false;
        }
    }
}
