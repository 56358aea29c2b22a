package io.redraft.command;

import io.redraft.testing.ServerTestBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(120)
class SortedSetCommandsTest extends ServerTestBase {
    RawResp raw;

    @BeforeEach
    void openRaw() throws Exception {
        raw = new RawResp(server.port());
    }

    @AfterEach
    void closeRaw() throws Exception {
        raw.close();
    }

    /** The reply as text: bulk strings, integers and nested lists, nil as "nil". */
    private String call(String... args) {
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        return show(jedis.sendCommand(() -> args[0].getBytes(StandardCharsets.UTF_8), rest));
    }

    private static String show(Object o) {
        if (o == null) {
            return "nil";
        }
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (o instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            l.forEach(x -> parts.add(show(x)));
            return "[" + String.join(" ", parts) + "]";
        }
        return String.valueOf(o);
    }

    private String error(String... args) {
        return assertThrows(JedisDataException.class, () -> call(args)).getMessage();
    }

    private void abc() {
        call("ZADD", "z", "1", "a", "2", "b", "3", "c");
    }

    @Test
    void zaddOptions() {
        assertEquals("3", call("ZADD", "z", "1", "a", "2", "b", "3", "c"));
        assertEquals("0", call("ZADD", "z", "5", "a"));
        assertEquals("5", call("ZSCORE", "z", "a"));
        assertEquals("1", call("ZADD", "z", "CH", "6", "a", "2", "b"), "CH counts changed scores only");
        assertEquals("0", call("ZADD", "z", "NX", "100", "a"));
        assertEquals("6", call("ZSCORE", "z", "a"));
        assertEquals("1", call("ZADD", "z", "NX", "9", "d"));
        assertEquals("0", call("ZADD", "z", "XX", "9", "e"));
        assertEquals("nil", call("ZSCORE", "z", "e"));
        assertEquals("0", call("ZADD", "z", "XX", "CH", "GT", "1", "a"), "GT refuses a lower score");
        assertEquals("1", call("ZADD", "z", "XX", "CH", "GT", "10", "a"));
        assertEquals("1", call("ZADD", "z", "CH", "LT", "3", "a"));
        assertEquals("1", call("ZADD", "z", "GT", "1", "new"), "GT still adds new members");
        assertEquals("8", call("ZADD", "z", "INCR", "5", "a"));
        assertEquals("nil", call("ZADD", "z", "NX", "INCR", "5", "a"));
        assertEquals("nil", call("ZADD", "z", "GT", "INCR", "-1", "a"));
        assertEquals("9", call("ZADD", "z", "GT", "INCR", "1", "a"));
        assertEquals("nil", call("ZADD", "nokey", "XX", "INCR", "1", "a"));
        assertEquals("0", call("ZADD", "nokey", "XX", "1", "a"));
        assertEquals("0", call("EXISTS", "nokey"));
        assertEquals("1.5", call("ZINCRBY", "z", "1.5", "zz"));
        assertEquals("3", call("ZINCRBY", "z", "1.5", "zz"));
        assertEquals("1", call("ZADD", "z", "-inf", "lo"));
        assertEquals("-inf", call("ZSCORE", "z", "lo"));
    }

    @Test
    void zaddErrors() {
        assertEquals("ERR XX and NX options at the same time are not compatible", error("ZADD", "z", "NX", "XX", "1", "a"));
        assertEquals("ERR GT, LT, and/or NX options at the same time are not compatible", error("ZADD", "z", "GT", "LT", "1", "a"));
        assertEquals("ERR GT, LT, and/or NX options at the same time are not compatible", error("ZADD", "z", "NX", "GT", "1", "a"));
        assertEquals("ERR INCR option supports a single increment-element pair", error("ZADD", "z", "INCR", "1", "a", "2", "b"));
        assertEquals("ERR syntax error", error("ZADD", "z", "1", "a", "2"));
        assertEquals("ERR syntax error", error("ZADD", "z", "NX", "CH"));
        assertEquals("ERR value is not a valid float", error("ZADD", "z", "1", "a", "x", "b"));
        assertEquals("0", call("EXISTS", "z"), "nothing added when any score is bad");
        assertEquals("ERR value is not a valid float", error("ZADD", "z", "nan", "a"));
        call("ZADD", "z", "inf", "a");
        assertEquals("ERR resulting score is not a number (NaN)", error("ZINCRBY", "z", "-inf", "a"));
        assertEquals("ERR resulting score is not a number (NaN)", error("ZADD", "z", "INCR", "-inf", "a"));
        assertEquals("inf", call("ZSCORE", "z", "a"));
        jedis.set("str", "v");
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", error("ZADD", "str", "1", "a"));
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", error("ZRANGE", "str", "0", "-1"));
        assertEquals("ERR wrong number of arguments for 'zadd' command", error("ZADD", "z", "1"));
    }

    @Test
    void zrangeByRankScoreAndLex() {
        call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        assertEquals("[a b c d e]", call("ZRANGE", "z", "0", "-1"));
        assertEquals("[d e]", call("ZRANGE", "z", "-2", "100"));
        assertEquals("[]", call("ZRANGE", "z", "3", "1"));
        assertEquals("[]", call("ZRANGE", "z", "10", "20"));
        assertEquals("[e d]", call("ZRANGE", "z", "0", "1", "REV"));
        assertEquals("[e d]", call("ZREVRANGE", "z", "0", "1"));
        assertEquals("[a 1 b 2]", call("ZRANGE", "z", "0", "1", "WITHSCORES"));
        assertEquals("[b c d]", call("ZRANGE", "z", "2", "4", "BYSCORE"));
        assertEquals("[c d]", call("ZRANGE", "z", "(2", "4", "BYSCORE"));
        assertEquals("[c]", call("ZRANGE", "z", "(2", "(4", "BYSCORE"));
        assertEquals("[a b c d e]", call("ZRANGE", "z", "-inf", "+inf", "BYSCORE"));
        assertEquals("[d c b]", call("ZRANGE", "z", "4", "2", "BYSCORE", "REV"));
        assertEquals("[c d]", call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "2", "2"));
        assertEquals("[c d e]", call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "2", "-1"));
        assertEquals("[]", call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2"));
        assertEquals("[d 4 c 3]", call("ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2", "WITHSCORES"));
        assertEquals("[b c]", call("ZRANGEBYSCORE", "z", "2", "3"));
        assertEquals("[b 2 c 3]", call("ZRANGEBYSCORE", "z", "2", "3", "WITHSCORES"));
        assertEquals("[c d]", call("ZRANGEBYSCORE", "z", "-inf", "inf", "LIMIT", "2", "2"));
        assertEquals("[c b]", call("ZREVRANGEBYSCORE", "z", "3", "2"));
        assertEquals("[e]", call("ZREVRANGEBYSCORE", "z", "+inf", "(4"));
        assertEquals("[]", call("ZRANGEBYSCORE", "z", "3", "2"));

        call("ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e");
        assertEquals("[a b c]", call("ZRANGE", "l", "-", "[c", "BYLEX"));
        assertEquals("[a b]", call("ZRANGE", "l", "-", "(c", "BYLEX"));
        assertEquals("[c b a]", call("ZRANGE", "l", "[c", "-", "BYLEX", "REV"));
        assertEquals("[b c]", call("ZRANGEBYLEX", "l", "(a", "[c"));
        assertEquals("[d e]", call("ZRANGEBYLEX", "l", "-", "+", "LIMIT", "3", "10"));
        assertEquals("[e d]", call("ZREVRANGEBYLEX", "l", "+", "(c"));
        assertEquals("[]", call("ZRANGEBYLEX", "l", "+", "-"));
        assertEquals("[]", call("ZRANGE", "nokey", "0", "-1"));
    }

    @Test
    void zrangeErrors() {
        abc();
        assertEquals("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
                error("ZRANGE", "z", "0", "1", "LIMIT", "0", "1"));
        assertEquals("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
                error("ZREVRANGE", "z", "0", "1", "LIMIT", "0", "1"));
        assertEquals("ERR syntax error, WITHSCORES not supported in combination with BYLEX",
                error("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"));
        assertEquals("ERR syntax error, WITHSCORES not supported in combination with BYLEX",
                error("ZRANGEBYLEX", "z", "-", "+", "WITHSCORES"));
        assertEquals("ERR min or max is not a float", error("ZRANGE", "z", "x", "1", "BYSCORE"));
        assertEquals("ERR min or max is not a float", error("ZRANGEBYSCORE", "z", "(", "1"));
        assertEquals("ERR min or max is not a float", error("ZCOUNT", "z", "1", "nan"));
        assertEquals("ERR min or max not valid string range item", error("ZRANGE", "z", "a", "+", "BYLEX"));
        assertEquals("ERR min or max not valid string range item", error("ZLEXCOUNT", "z", "-", "b"));
        assertEquals("ERR syntax error", error("ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"));
        assertEquals("ERR syntax error", error("ZRANGEBYSCORE", "z", "0", "1", "REV"));
        assertEquals("ERR syntax error", error("ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "1"));
        assertEquals("ERR value is not an integer or out of range", error("ZRANGE", "z", "a", "1"));
        assertEquals("ERR value is not an integer or out of range", error("ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "x", "1"));
        assertEquals("ERR syntax error", error("ZRANGESTORE", "dst", "z", "0", "1", "WITHSCORES"));
    }

    @Test
    void zrangestore() {
        call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        assertEquals("2", call("ZRANGESTORE", "dst", "z", "1", "2"));
        assertEquals("[b 2 c 3]", call("ZRANGE", "dst", "0", "-1", "WITHSCORES"));
        assertEquals("2", call("ZRANGESTORE", "dst", "z", "4", "(2", "BYSCORE", "REV"));
        assertEquals("[c d]", call("ZRANGE", "dst", "0", "-1"));
        assertEquals("1", call("ZRANGESTORE", "dst", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "3", "5"));
        assertEquals("[d]", call("ZRANGE", "dst", "0", "-1"));
        assertEquals("0", call("ZRANGESTORE", "dst", "z", "10", "20"));
        assertEquals("0", call("EXISTS", "dst"));
        assertEquals("0", call("ZRANGESTORE", "dst", "nokey", "0", "-1"));
    }

    @Test
    void rankScoreCountAndRemovals() {
        call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        assertEquals("0", call("ZRANK", "z", "a"));
        assertEquals("4", call("ZREVRANK", "z", "a"));
        assertEquals("nil", call("ZRANK", "z", "x"));
        assertEquals("nil", call("ZRANK", "nokey", "x"));
        assertEquals("[1 nil 5]", call("ZMSCORE", "z", "a", "x", "e"));
        assertEquals("[nil nil]", call("ZMSCORE", "nokey", "a", "b"));
        assertEquals("3", call("ZCOUNT", "z", "2", "4"));
        assertEquals("1", call("ZCOUNT", "z", "(2", "(4"));
        assertEquals("0", call("ZCOUNT", "z", "4", "2"));
        assertEquals("0", call("ZCOUNT", "nokey", "-inf", "+inf"));
        assertEquals("5", call("ZCARD", "z"));
        assertEquals("0", call("ZCARD", "nokey"));
        assertEquals("2", call("ZREM", "z", "a", "b", "x"));
        assertEquals("1", call("ZREMRANGEBYRANK", "z", "-1", "-1"));
        assertEquals("[c d]", call("ZRANGE", "z", "0", "-1"));
        assertEquals("1", call("ZREMRANGEBYSCORE", "z", "(3", "+inf"));
        assertEquals("1", call("ZREMRANGEBYRANK", "z", "0", "10"));
        assertEquals("0", call("EXISTS", "z"), "emptied sorted sets are deleted");
        call("ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d");
        assertEquals("4", call("ZLEXCOUNT", "l", "-", "+"));
        assertEquals("2", call("ZLEXCOUNT", "l", "(a", "[c"));
        assertEquals("2", call("ZREMRANGEBYLEX", "l", "[b", "(d"));
        assertEquals("[a d]", call("ZRANGE", "l", "0", "-1"));
        assertEquals("0", call("ZREMRANGEBYLEX", "nokey", "-", "+"));
        assertEquals("ERR min or max not valid string range item", error("ZREMRANGEBYLEX", "l", "a", "+"));
        assertEquals("ERR min or max is not a float", error("ZREMRANGEBYSCORE", "l", "a", "1"));
    }

    @Test
    void popsAndZmpop() {
        call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        assertEquals("[a 1]", call("ZPOPMIN", "z"));
        assertEquals("[d 4 c 3]", call("ZPOPMAX", "z", "2"));
        assertEquals("[]", call("ZPOPMIN", "z", "0"));
        assertEquals("[]", call("ZPOPMIN", "nokey"));
        assertEquals("ERR value is out of range, must be positive", error("ZPOPMIN", "z", "-1"));
        assertEquals("[b 2]", call("ZPOPMIN", "z", "10"));
        assertEquals("0", call("EXISTS", "z"));

        call("ZADD", "z2", "1", "a", "2", "b", "3", "c");
        assertEquals("[z2 [[a 1]]]", call("ZMPOP", "2", "nokey", "z2", "MIN"));
        assertEquals("[z2 [[c 3] [b 2]]]", call("ZMPOP", "1", "z2", "MAX", "COUNT", "10"));
        assertEquals("nil", call("ZMPOP", "2", "nokey", "z2", "MIN"));
        assertEquals("ERR numkeys should be greater than 0", error("ZMPOP", "0", "z", "MIN"));
        assertEquals("ERR numkeys should be greater than 0", error("ZMPOP", "x", "z", "MIN"));
        assertEquals("ERR syntax error", error("ZMPOP", "2", "z", "MIN"));
        assertEquals("ERR syntax error", error("ZMPOP", "1", "z", "MIDDLE"));
        assertEquals("ERR count should be greater than 0", error("ZMPOP", "1", "z", "MIN", "COUNT", "0"));
        assertEquals("ERR syntax error", error("ZMPOP", "1", "z", "MIN", "COUNT", "1", "COUNT", "1"));
        jedis.set("str", "v");
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", error("ZMPOP", "1", "str", "MIN"));
    }

    @Test
    void unionInterDiff() {
        call("ZADD", "z1", "1", "a", "2", "b", "3", "c");
        call("ZADD", "z2", "10", "b", "20", "c", "30", "d");
        call("SADD", "s", "c", "d", "e");
        assertEquals("[a 1 b 12 c 23 d 30]", call("ZUNION", "2", "z1", "z2", "WEIGHTS", "1", "1", "WITHSCORES",
                "AGGREGATE", "SUM"));
        assertEquals("[a 1 b 2 c 3 d 30]", call("ZUNION", "2", "z1", "z2", "AGGREGATE", "MIN", "WITHSCORES"));
        assertEquals("[a 2 b 10 c 20 d 30]", call("ZUNION", "2", "z1", "z2", "WEIGHTS", "2", "1", "AGGREGATE", "MAX",
                "WITHSCORES"));
        assertEquals("[a 2 b 4 c 6 d 30]", call("ZUNION", "2", "z1", "z2", "WEIGHTS", "2", "1", "AGGREGATE", "MIN",
                "WITHSCORES"));
        assertEquals("[b 12 c 23]", call("ZINTER", "2", "z1", "z2", "WITHSCORES"));
        assertEquals("[c 4]", call("ZINTER", "2", "z1", "s", "WITHSCORES"), "a plain set scores 1 per member");
        assertEquals("[a b]", call("ZDIFF", "2", "z1", "s"));
        assertEquals("[a 1]", call("ZDIFF", "3", "z1", "z2", "s", "WITHSCORES"));
        assertEquals("[]", call("ZINTER", "2", "z1", "nokey"));
        assertEquals("4", call("ZUNIONSTORE", "dst", "2", "z1", "z2"));
        assertEquals("[a b c d]", call("ZRANGE", "dst", "0", "-1"));
        assertEquals("2", call("ZINTERSTORE", "dst", "2", "z1", "z2", "AGGREGATE", "MAX"));
        assertEquals("[b 10 c 20]", call("ZRANGE", "dst", "0", "-1", "WITHSCORES"));
        assertEquals("1", call("ZDIFFSTORE", "dst", "2", "z1", "z2"));
        assertEquals("0", call("ZINTERSTORE", "dst", "2", "z1", "nokey"));
        assertEquals("0", call("EXISTS", "dst"));
        assertEquals("2", call("ZINTERCARD", "2", "z1", "z2"));
        assertEquals("1", call("ZINTERCARD", "2", "z1", "z2", "LIMIT", "1"));
        assertEquals("2", call("ZINTERCARD", "2", "z1", "z2", "LIMIT", "0"));
        call("ZADD", "inf", "inf", "x");
        call("ZADD", "ninf", "-inf", "x");
        assertEquals("[x 0]", call("ZUNION", "2", "inf", "ninf", "WITHSCORES"), "inf + -inf is 0");
        assertEquals("[x 0]", call("ZUNION", "1", "inf", "WEIGHTS", "0", "WITHSCORES"), "0 * inf is 0");
    }

    @Test
    void unionInterDiffErrors() {
        call("ZADD", "z1", "1", "a");
        assertEquals("ERR at least 1 input key is needed for 'zunionstore' command", error("ZUNIONSTORE", "d", "0", "z1"));
        assertEquals("ERR at least 1 input key is needed for 'zinter' command", error("ZINTER", "0", "z1"));
        assertEquals("ERR value is not an integer or out of range", error("ZUNION", "x", "z1"));
        assertEquals("ERR syntax error", error("ZUNION", "3", "z1", "z2"));
        assertEquals("ERR syntax error", error("ZUNION", "2", "z1", "z2", "WEIGHTS", "1"));
        assertEquals("ERR weight value is not a float", error("ZUNION", "2", "z1", "z2", "WEIGHTS", "1", "x"));
        assertEquals("ERR syntax error", error("ZUNION", "2", "z1", "z2", "AGGREGATE", "AVG"));
        assertEquals("ERR syntax error", error("ZUNIONSTORE", "d", "2", "z1", "z2", "WITHSCORES"));
        assertEquals("ERR syntax error", error("ZDIFF", "2", "z1", "z2", "WEIGHTS", "1", "1"));
        assertEquals("ERR syntax error", error("ZDIFFSTORE", "d", "2", "z1", "z2", "AGGREGATE", "MIN"));
        assertEquals("ERR syntax error", error("ZINTERCARD", "1", "z1", "z1"));
        assertEquals("ERR syntax error", error("ZINTERCARD", "1", "z1", "WITHSCORES"));
        assertEquals("ERR LIMIT can't be negative", error("ZINTERCARD", "1", "z1", "LIMIT", "-1"));
        assertEquals("ERR LIMIT can't be negative", error("ZINTERCARD", "1", "z1", "LIMIT", "a"));
        assertEquals("ERR at least 1 input key is needed for 'zintercard' command", error("ZINTERCARD", "0", "z1"));
        jedis.set("str", "v");
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", error("ZUNION", "2", "z1", "str"));
    }

    @Test
    void zrandmemberAndZscan() {
        for (int i = 0; i < 300; i++) {
            call("ZADD", "z", Integer.toString(i), "m" + i);
        }
        assertTrue(call("ZRANDMEMBER", "z").startsWith("m"));
        assertEquals("nil", call("ZRANDMEMBER", "nokey"));
        assertEquals("[]", call("ZRANDMEMBER", "nokey", "3"));
        List<String> distinct = jedis.zrandmember("z", 50);
        assertEquals(50, new java.util.HashSet<>(distinct).size());
        assertEquals(300, jedis.zrandmember("z", 1000).size());
        assertEquals(1000, jedis.zrandmember("z", -1000).size());
        var withScores = jedis.zrandmemberWithScores("z", 5);
        withScores.forEach(t -> assertEquals("m" + (long) t.getScore(), t.getElement()));
        assertEquals("ERR syntax error", error("ZRANDMEMBER", "z", "1", "WITHSCORE"));
        assertEquals("ERR value is not an integer or out of range", error("ZRANDMEMBER", "z", "x"));
        assertEquals("ERR value is out of range, must be between -9223372036854775807 and 9223372036854775807",
                error("ZRANDMEMBER", "z", "-9223372036854775808"));
        assertEquals("ERR value is out of range", error("ZRANDMEMBER", "z", "-9223372036854775807", "WITHSCORES"));

        java.util.Map<String, String> seen = new java.util.HashMap<>();
        String cursor = "0";
        int rounds = 0;
        do {
            var r = jedis.zscan("z", cursor);
            r.getResult().forEach(t -> seen.put(t.getElement(), Long.toString((long) t.getScore())));
            cursor = r.getCursor();
            rounds++;
            if (rounds == 2) {
                // a score update mid-scan must not hide the member (m0 sits in the last slot scanned)
                jedis.zincrby("z", 1000, "m0");
            }
        } while (!cursor.equals("0"));
        assertTrue(rounds > 2);
        assertEquals(300, seen.size());
        assertTrue(seen.containsKey("m0"));
        assertEquals("42", seen.get("m42"));
        call("ZADD", "small", "1.5", "a");
        assertEquals("[0 [a 1.5]]", call("ZSCAN", "small", "0"));
        assertEquals("[0 []]", call("ZSCAN", "small", "0", "MATCH", "b*"));
        assertEquals("ERR invalid cursor", error("ZSCAN", "small", "1x"));
        // Redis 7.0 reads cursors with strtoul: "-1" wraps to 2^64-1 and is valid.
        assertEquals("[0 []]", call("ZSCAN", "small", "-1", "MATCH", "b*"));
    }

    @Test
    void negativeZeroScoreFollowsTheEncodingAsRedisDoes() throws Exception {
        // Checked against redis-server 7.0.15: a listpack stores -0 as 0, a skiplist keeps -0.
        call("ZADD", "small", "-0", "m");
        assertEquals("0", call("ZSCORE", "small", "m"));
        jedis.configSet("zset-max-listpack-entries", "0");
        try {
            call("ZADD", "big", "-0", "m");
            assertEquals("-0", call("ZSCORE", "big", "m"));
        } finally {
            jedis.configSet("zset-max-listpack-entries", "128");
        }
    }

    @Test
    void resp2AndResp3ReplyShapes() throws Exception {
        call("ZADD", "z", "0.1", "a", "2", "b");
        assertEquals("$19\r\n0.10000000000000001\r\n", raw.call("ZSCORE", "z", "a"));
        assertEquals("*4\r\n$1\r\na\r\n$19\r\n0.10000000000000001\r\n$1\r\nb\r\n$1\r\n2\r\n",
                raw.call("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        assertEquals("$-1\r\n", raw.call("ZSCORE", "z", "x"));
        assertEquals("*-1\r\n", raw.call("ZMPOP", "1", "nokey", "MIN"));
        raw.call("HELLO", "3");
        assertEquals(",0.10000000000000001\r\n", raw.call("ZSCORE", "z", "a"));
        assertEquals("_\r\n", raw.call("ZSCORE", "z", "x"));
        assertEquals("*2\r\n*2\r\n$1\r\na\r\n,0.10000000000000001\r\n*2\r\n$1\r\nb\r\n,2\r\n",
                raw.call("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        assertEquals("*2\r\n*2\r\n$1\r\na\r\n,0.10000000000000001\r\n*2\r\n$1\r\nb\r\n,2\r\n",
                raw.call("ZUNION", "1", "z", "WITHSCORES"));
        assertEquals("*2\r\n,0.10000000000000001\r\n_\r\n", raw.call("ZMSCORE", "z", "a", "x"));
        assertEquals(",3\r\n", raw.call("ZINCRBY", "z", "1", "b"));
        assertEquals("*2\r\n$1\r\na\r\n,0.10000000000000001\r\n", raw.call("ZPOPMIN", "z"), "no count: flat");
        call("ZADD", "z", "1", "a");
        assertEquals("*1\r\n*2\r\n$1\r\na\r\n,1\r\n", raw.call("ZPOPMIN", "z", "1"), "with count: pairs");
        assertEquals("*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n,3\r\n", raw.call("ZMPOP", "1", "z", "MAX"));
        assertEquals("_\r\n", raw.call("ZMPOP", "1", "nokey", "MIN"));
        assertEquals("_\r\n", raw.call("ZADD", "z", "XX", "INCR", "1", "a"));
    }

    @Test
    void encodingsFollowRedisThresholds() throws Exception {
        var s = server.server();
        for (int i = 0; i < 128; i++) {
            call("ZADD", "z", Integer.toString(i), "m" + i);
        }
        assertEquals("listpack", RawResp.encoding(s, "z"));
        call("ZADD", "z", "1000", "m128");
        assertEquals("skiplist", RawResp.encoding(s, "z"));
        call("ZREMRANGEBYRANK", "z", "0", "100");
        assertEquals("skiplist", RawResp.encoding(s, "z"), "no conversion back on removal");
        assertEquals("28", call("ZUNIONSTORE", "u", "1", "z"));
        assertEquals("listpack", RawResp.encoding(s, "u"), "a small stored result is compact again");

        call("ZADD", "v", "1", "x".repeat(64));
        assertEquals("listpack", RawResp.encoding(s, "v"));
        call("ZADD", "v", "1", "y".repeat(65));
        assertEquals("skiplist", RawResp.encoding(s, "v"));
    }

    @Test
    void randomOperationsMatchAReferenceModel() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        java.util.Map<String, Double> model = new java.util.HashMap<>();
        for (int op = 0; op < 3000; op++) {
            String m = "k" + r.nextInt(250);
            int kind = r.nextInt(10);
            if (kind < 6) {
                double score = r.nextInt(100);
                jedis.zadd("z", score, m);
                model.put(m, score);
            } else if (kind < 8) {
                jedis.zrem("z", m);
                model.remove(m);
            } else {
                double inc = r.nextInt(10) - 5;
                jedis.zincrby("z", inc, m);
                model.merge(m, inc, Double::sum);
            }
            if (op % 100 == 99) {
                List<String> expected = new ArrayList<>(model.keySet());
                expected.sort((a, b) -> model.get(a).equals(model.get(b)) ? a.compareTo(b)
                        : Double.compare(model.get(a), model.get(b)));
                assertEquals(expected, jedis.zrange("z", 0, -1));
                double lo = r.nextInt(100);
                double hi = lo + r.nextInt(30);
                List<String> inRange = expected.stream().filter(x -> model.get(x) >= lo && model.get(x) <= hi).toList();
                assertEquals(inRange, jedis.zrangeByScore("z", lo, hi));
                assertEquals(inRange.size(), jedis.zcount("z", lo, hi));
                String probe = expected.get(r.nextInt(expected.size()));
                assertEquals(expected.indexOf(probe), jedis.zrank("z", probe));
                assertEquals(expected.size() - 1 - expected.indexOf(probe), jedis.zrevrank("z", probe));
            }
        }
    }
}
