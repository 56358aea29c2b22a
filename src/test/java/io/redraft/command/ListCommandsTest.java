package io.redraft.command;

import io.redraft.testing.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.params.LPosParams;

import java.util.ArrayList;
import java.util.List;

import static io.redraft.command.HashCommandsTest.WRONGTYPE;
import static io.redraft.command.HashCommandsTest.encoding;
import static io.redraft.testing.Raw.call;
import static io.redraft.testing.Raw.error;
import static io.redraft.testing.Raw.list;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class ListCommandsTest extends ServerTestBase {
    @Test
    void pushRangeIndexAndLength() {
        assertEquals(5L, jedis.rpush("l", "a", "b", "c", "d", "e"));
        assertEquals(7L, jedis.lpush("l", "z", "y"));
        assertEquals(List.of("y", "z", "a", "b", "c", "d", "e"), jedis.lrange("l", 0, -1));
        assertEquals(List.of("y", "z", "a", "b", "c", "d", "e"), jedis.lrange("l", -100, 100));
        assertEquals(List.of(), jedis.lrange("l", 5, 2));
        assertEquals(List.of("d", "e"), jedis.lrange("l", -2, -1));
        assertEquals(List.of(), jedis.lrange("nokey", 0, -1));
        assertEquals("ERR value is not an integer or out of range", error(jedis, "LRANGE", "l", "x", "1"));
        assertEquals(7L, jedis.llen("l"));
        assertEquals(0L, jedis.llen("nokey"));
        assertEquals("y", jedis.lindex("l", 0));
        assertEquals("e", jedis.lindex("l", -1));
        assertNull(jedis.lindex("l", 100));
        assertEquals("ERR value is not an integer or out of range", error(jedis, "LINDEX", "l", "x"));
        assertNull(call(jedis, "LINDEX", "nokey", "x"), "the key is looked up before the index is parsed");
        assertEquals(0L, jedis.lpushx("nokey", "a"));
        assertEquals(0L, jedis.rpushx("nokey", "a"));
        assertFalse(jedis.exists("nokey"));
        assertEquals(9L, jedis.rpushx("l", "f", "g"));
        assertEquals(10L, jedis.lpushx("l", "x"));
    }

    @Test
    void setInsertRemoveTrim() {
        jedis.rpush("l", "a", "b", "c");
        assertEquals("OK", jedis.lset("l", 0, "A"));
        assertEquals("OK", jedis.lset("l", -1, "C"));
        assertEquals("ERR index out of range", error(jedis, "LSET", "l", "3", "x"));
        assertEquals("ERR no such key", error(jedis, "LSET", "nokey", "0", "x"));
        assertEquals("ERR no such key", error(jedis, "LSET", "nokey", "x", "y"));
        assertEquals("ERR value is not an integer or out of range", error(jedis, "LSET", "l", "x", "y"));
        assertEquals(4L, jedis.linsert("l", ListPosition.BEFORE, "b", "B"));
        assertEquals(5L, jedis.linsert("l", ListPosition.AFTER, "C", "D"));
        assertEquals(-1L, jedis.linsert("l", ListPosition.AFTER, "nope", "x"));
        assertEquals(0L, jedis.linsert("nokey", ListPosition.AFTER, "a", "b"));
        assertEquals("ERR syntax error", error(jedis, "LINSERT", "l", "middle", "b", "x"));
        assertEquals(List.of("A", "B", "b", "C", "D"), jedis.lrange("l", 0, -1));

        jedis.rpush("p", "a", "b", "a", "c", "a", "d", "a");
        assertEquals(2L, jedis.lrem("p", 2, "a"));
        assertEquals(List.of("b", "c", "a", "d", "a"), jedis.lrange("p", 0, -1));
        assertEquals(1L, jedis.lrem("p", -1, "a"));
        assertEquals(List.of("b", "c", "a", "d"), jedis.lrange("p", 0, -1));
        assertEquals(1L, jedis.lrem("p", 0, "a"));
        assertEquals(0L, jedis.lrem("nokey", 0, "a"));
        assertEquals("ERR value is not an integer or out of range", error(jedis, "LREM", "p", "x", "a"));

        jedis.rpush("t", "1", "2", "3", "4");
        assertEquals("OK", jedis.ltrim("t", 1, -2));
        assertEquals(List.of("2", "3"), jedis.lrange("t", 0, -1));
        assertEquals("OK", jedis.ltrim("t", 5, 10));
        assertFalse(jedis.exists("t"), "trimming everything deletes the key");
        assertEquals("OK", jedis.ltrim("nokey", 0, 1));
        assertEquals("ERR value is not an integer or out of range", error(jedis, "LTRIM", "p", "x", "1"));
    }

    @Test
    void lpos() {
        jedis.rpush("p", "a", "b", "a", "c", "a", "d", "a");
        assertEquals(0L, jedis.lpos("p", "a"));
        assertNull(jedis.lpos("p", "nope"));
        assertEquals(2L, jedis.lpos("p", "a", LPosParams.lPosParams().rank(2)));
        assertEquals(6L, jedis.lpos("p", "a", LPosParams.lPosParams().rank(-1)));
        assertEquals(List.of(4L, 2L), jedis.lpos("p", "a", LPosParams.lPosParams().rank(-2), 2));
        assertEquals(list(0L, 2L), call(jedis, "LPOS", "p", "a", "COUNT", "0", "MAXLEN", "3"));
        assertEquals(list(2L), call(jedis, "LPOS", "p", "a", "COUNT", "0", "RANK", "2", "MAXLEN", "3"));
        assertEquals(list(0L, 2L, 4L, 6L), call(jedis, "LPOS", "p", "a", "COUNT", "0"));
        assertEquals(list(), call(jedis, "LPOS", "p", "nope", "COUNT", "0"));
        assertNull(call(jedis, "LPOS", "nokey", "a"));
        assertEquals(list(), call(jedis, "LPOS", "nokey", "a", "COUNT", "2"));
        assertEquals(6L, call(jedis, "LPOS", "p", "a", "RANK", "-9223372036854775808"), "Redis 7.0 treats it as -1");
        assertEquals("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                + "or use negative to start from the end of the list", error(jedis, "LPOS", "p", "a", "RANK", "0"));
        assertEquals("ERR COUNT can't be negative", error(jedis, "LPOS", "p", "a", "COUNT", "-1"));
        assertEquals("ERR COUNT can't be negative", error(jedis, "LPOS", "p", "a", "COUNT", "x"));
        assertEquals("ERR MAXLEN can't be negative", error(jedis, "LPOS", "p", "a", "MAXLEN", "-1"));
        assertEquals("ERR syntax error", error(jedis, "LPOS", "p", "a", "RANK"));
        assertEquals("ERR syntax error", error(jedis, "LPOS", "p", "a", "FOO", "1"));
    }

    @Test
    void popsWithAndWithoutCount() {
        jedis.rpush("l", "a", "b", "c", "d", "e", "f");
        assertEquals("a", jedis.lpop("l"));
        assertEquals("f", jedis.rpop("l"));
        assertEquals(List.of("b", "c"), jedis.lpop("l", 2));
        assertEquals(List.of("e", "d"), jedis.rpop("l", 2), "RPOP count replies in pop order");
        assertNull(call(jedis, "LPOP", "nokey", "0"), "the key is looked up before the count-0 shortcut");
        jedis.rpush("k", "x");
        assertEquals(list(), call(jedis, "LPOP", "k", "0"));
        assertEquals("ERR value is out of range, must be positive", error(jedis, "LPOP", "k", "-1"));
        assertEquals("ERR value is out of range, must be positive", error(jedis, "LPOP", "k", "x"));
        assertEquals("ERR wrong number of arguments for 'lpop' command", error(jedis, "LPOP", "k", "1", "2"));
        assertNull(call(jedis, "LPOP", "nokey"));
        assertNull(call(jedis, "LPOP", "nokey", "2"), "missing key with count: null array");
        assertEquals(list("x"), call(jedis, "RPOP", "k", "100"));
        assertFalse(jedis.exists("k"));
        assertFalse(jedis.exists("l"));
    }

    @Test
    void moves() {
        jedis.rpush("s", "a", "b", "c");
        assertEquals("c", jedis.rpoplpush("s", "s"));
        assertEquals(List.of("c", "a", "b"), jedis.lrange("s", 0, -1));
        assertEquals("b", jedis.rpoplpush("s", "d"));
        assertEquals("c", jedis.lmove("s", "d", ListDirection.LEFT, ListDirection.RIGHT));
        assertEquals(List.of("b", "c"), jedis.lrange("d", 0, -1));
        assertEquals("ERR syntax error", error(jedis, "LMOVE", "s", "d", "up", "right"));
        assertNull(jedis.lmove("nokey", "d", ListDirection.LEFT, ListDirection.LEFT));
        jedis.set("str", "x");
        assertEquals(WRONGTYPE, error(jedis, "LMOVE", "s", "str", "LEFT", "LEFT"));
        assertEquals(List.of("a"), jedis.lrange("s", 0, -1), "a failed move pops nothing");
        assertEquals("a", jedis.lmove("s", "s", ListDirection.LEFT, ListDirection.RIGHT));
        assertEquals(List.of("a"), jedis.lrange("s", 0, -1), "a one-element list rotates onto itself");
        assertEquals("a", jedis.rpoplpush("s", "d"));
        assertFalse(jedis.exists("s"));
        assertEquals(List.of("a", "b", "c"), jedis.lrange("d", 0, -1));
    }

    @Test
    void lmpop() {
        jedis.rpush("d", "a", "b", "c", "d");
        assertEquals(list("d", list("a")), call(jedis, "LMPOP", "2", "nokey", "d", "LEFT"));
        assertEquals(list("d", list("d", "c", "b")), call(jedis, "LMPOP", "2", "nokey", "d", "RIGHT", "COUNT", "10"));
        assertFalse(jedis.exists("d"));
        assertNull(call(jedis, "LMPOP", "1", "nokey", "LEFT"));
        assertEquals("ERR count should be greater than 0", error(jedis, "LMPOP", "1", "d", "LEFT", "COUNT", "0"));
        assertEquals("ERR numkeys should be greater than 0", error(jedis, "LMPOP", "0", "a", "LEFT"));
        assertEquals("ERR numkeys should be greater than 0", error(jedis, "LMPOP", "x", "a", "LEFT"));
        assertEquals("ERR syntax error", error(jedis, "LMPOP", "2", "a", "LEFT"));
        assertEquals("ERR syntax error", error(jedis, "LMPOP", "1", "a", "MIDDLE"));
        assertEquals("ERR syntax error", error(jedis, "LMPOP", "1", "a", "LEFT", "COUNT"));
        assertEquals("ERR syntax error", error(jedis, "LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"));
        jedis.set("str", "x");
        assertEquals(WRONGTYPE, error(jedis, "LMPOP", "1", "str", "LEFT"));
        jedis.rpush("e", "1", "2");
        assertEquals(List.of("1", "2"), jedis.lmpop(ListDirection.LEFT, 5, "nokey", "e").getValue());
        assertArrayEquals(new int[] {2, 3}, ListCommands.lmpopKeys(new byte[][] {
                "lmpop".getBytes(), "2".getBytes(), "a".getBytes(), "b".getBytes(), "LEFT".getBytes()}));
        assertArrayEquals(new int[0], ListCommands.lmpopKeys(new byte[][] {
                "lmpop".getBytes(), "5".getBytes(), "a".getBytes(), "LEFT".getBytes()}));
    }

    @Test
    void wrongType() {
        jedis.set("str", "x");
        for (String[] cmd : new String[][] {{"LPUSH", "str", "a"}, {"RPUSHX", "str", "a"}, {"LRANGE", "str", "0", "1"},
                {"LLEN", "str"}, {"LPOP", "str"}, {"LINDEX", "str", "0"}, {"LSET", "str", "0", "a"},
                {"LPOS", "str", "a"}, {"LREM", "str", "0", "a"}, {"LTRIM", "str", "0", "1"}, {"RPOPLPUSH", "str", "d"},
                {"LINSERT", "str", "BEFORE", "a", "b"}}) {
            assertEquals(WRONGTYPE, error(jedis, cmd));
        }
    }

    @Test
    void encodingConvertsToQuicklistAndBack() throws Exception {
        // default list-max-listpack-size -2: 8 KiB per listpack
        String v = "x".repeat(100);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 78; i++) {
            jedis.rpush("l", v + i);
            expected.add(v + i);
        }
        assertEquals("listpack", encoding(server, "l"));
        for (int i = 78; i < 400; i++) {
            jedis.rpush("l", v + i);
            expected.add(v + i);
        }
        assertEquals("quicklist", encoding(server, "l"));
        assertEquals(expected, jedis.lrange("l", 0, -1));
        assertEquals(v + 200, jedis.lindex("l", 200));
        jedis.ltrim("l", 0, 9);
        assertEquals("listpack", encoding(server, "l"), "a small remainder goes back to a listpack");
        assertEquals(expected.subList(0, 10), jedis.lrange("l", 0, -1));
    }
}
