package io.redraft.command;

import io.redraft.server.RedraftServer;
import io.redraft.server.ServerConfig;
import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class ConfigTest {
    @TempDir
    Path tmp;

    @Test
    void fileThenArgumentsWin() throws Exception {
        Path conf = tmp.resolve("r.conf");
        Files.writeString(conf, "# comment\nmaxmemory 1mb\nhash-max-ziplist-entries 64\nappendfsync always\n");
        ServerConfig c = ServerConfig.fromArgs(conf.toString(), "--maxmemory", "2mb", "--save", "900", "1");
        assertEquals("2097152", c.get("maxmemory"));
        assertEquals("64", c.get("hash-max-listpack-entries")); // set through its alias
        assertEquals("always", c.get("appendfsync"));
        assertEquals("900 1", c.get("save"));
        assertEquals(conf.toAbsolutePath(), c.configFile());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromArgs("--appendfsync", "sometimes"));
        assertTrue(e.getMessage().contains("argument(s) must be one of the following: everysec, always, no"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.fromArgs("--no-such-option", "1"));
    }

    @Test
    void redis70DefaultsAreReported() throws Exception {
        try (TestServer server = TestServer.start(); Jedis j = server.jedis()) {
            Map<String, String> m = j.configGet("*");
            assertEquals("512", m.get("hash-max-listpack-entries"));
            assertEquals("512", m.get("hash-max-ziplist-entries")); // aliases are listed too, as 7.0 does
            assertEquals("512", m.get("set-max-intset-entries"));
            assertEquals("128", m.get("zset-max-listpack-entries"));
            assertEquals("-2", m.get("list-max-listpack-size"));
            assertEquals("noeviction", m.get("maxmemory-policy"));
            assertEquals("everysec", m.get("appendfsync"));
            assertEquals("no", m.get("appendonly"));
            assertEquals("5000", m.get("busy-reply-threshold"));
            assertEquals("5000", m.get("lua-time-limit"));
            assertEquals("", m.get("replicaof"));
            assertEquals("50 99 99.9", m.get("latency-tracking-info-percentiles"));
            assertTrue(m.size() > 150, "parameters: " + m.size());
            // what redis-benchmark asks for
            assertEquals(Map.of("save", ""), j.configGet("save"));
            assertEquals(Map.of("appendonly", "no"), j.configGet("appendonly"));
            // several patterns, duplicates reported once
            Map<String, String> several = j.configGet("maxmemory", "maxmemory*", "port");
            assertTrue(several.containsKey("maxmemory-policy") && several.containsKey("port"));
            assertEquals(several.size(), several.keySet().stream().distinct().count());
            assertTrue(j.configGet("nothing-matches-*").isEmpty());
        }
    }

    @Test
    void configSetIsAtomicAndValidated() throws Exception {
        try (TestServer server = TestServer.start(); Jedis j = server.jedis()) {
            assertEquals("OK", j.configSet("maxmemory", "10mb", "maxmemory-policy", "allkeys-lru"));
            assertEquals("10485760", j.configGet("maxmemory").get("maxmemory"));
            assertEquals("allkeys-lru", j.configGet("maxmemory-policy").get("maxmemory-policy"));
            // one bad value: nothing changes
            JedisDataException e = assertThrows(JedisDataException.class,
                    () -> j.configSet("maxmemory", "20mb", "maxmemory-policy", "sometimes"));
            assertTrue(e.getMessage().startsWith("ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - "
                    + "argument(s) must be one of the following:"), e.getMessage());
            assertEquals("10485760", j.configGet("maxmemory").get("maxmemory"));
            assertEquals("ERR Unknown option or number of arguments for CONFIG SET - 'nope'",
                    assertThrows(JedisDataException.class, () -> j.configSet("nope", "1")).getMessage());
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config",
                    assertThrows(JedisDataException.class, () -> j.configSet("databases", "4")).getMessage());
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
                    assertThrows(JedisDataException.class, () -> j.configSet("dir", "/tmp")).getMessage());
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer",
                    assertThrows(JedisDataException.class, () -> j.configSet("hz", "x")).getMessage());
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter",
                    assertThrows(JedisDataException.class, () -> j.configSet("maxmemory", "1", "maxmemory", "2")).getMessage());
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'activedefrag') - argument must be 'yes' or 'no'",
                    assertThrows(JedisDataException.class, () -> j.configSet("activedefrag", "maybe")).getMessage());
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'maxmemory-eviction-tenacity') - "
                    + "argument must be between 0 and 100 inclusive",
                    assertThrows(JedisDataException.class, () -> j.configSet("maxmemory-eviction-tenacity", "101")).getMessage());
            // hz is clamped as Redis clamps it
            j.configSet("hz", "1000");
            assertEquals("500", j.configGet("hz").get("hz"));
            // alias set, canonical read
            j.configSet("slave-read-only", "no");
            assertEquals("no", j.configGet("replica-read-only").get("replica-read-only"));
            assertTrue(assertThrows(JedisDataException.class, () -> j.configSet("bogus", "x", "extra"))
                    .getMessage().startsWith("ERR wrong number of arguments"));
            assertTrue(((List<?>) j.sendCommand(() -> "CONFIG".getBytes(), "HELP")).size() > 4);
        }
    }

    @Test
    void rewriteKeepsCommentsAndRoundTrips() throws Exception {
        Path conf = tmp.resolve("redraft.conf");
        Files.writeString(conf, "# my settings\nport 0\nbind 127.0.0.1\nproto-max-bulk-len 512mb\n\n# memory\nmaxmemory 1mb\n"
                + "dir " + tmp.resolve("data") + "\n");
        ServerConfig config = ServerConfig.fromArgs(conf.toString());
        try (RedraftServer server = new RedraftServer(config)) {
            server.start();
            try (Jedis j = new Jedis("127.0.0.1", server.port(), 10_000)) {
                j.configSet("maxmemory", "2mb", "maxmemory-policy", "allkeys-lfu", "slowlog-max-len", "7");
                assertEquals("OK", j.configRewrite());
            }
        }
        String text = Files.readString(conf);
        assertTrue(text.startsWith("# my settings\n"), text);
        assertTrue(text.contains("# memory\nmaxmemory 2097152\n"), text);
        assertTrue(text.contains("maxmemory-policy allkeys-lfu"), text);
        assertTrue(text.contains("slowlog-max-len 7"), text);
        assertTrue(text.contains("\nproto-max-bulk-len 512mb\n"), text); // unchanged values keep their spelling
        ServerConfig again = ServerConfig.fromArgs(conf.toString());
        assertEquals("2097152", again.get("maxmemory"));
        assertEquals("allkeys-lfu", again.get("maxmemory-policy"));
        assertEquals("7", again.get("slowlog-max-len"));
        assertEquals("0", again.get("port"));
    }

    @Test
    void rewriteWithoutConfigFile() {
        try (TestServer server = TestServer.start(); Jedis j = server.jedis()) {
            assertEquals("ERR The server is running without a config file",
                    assertThrows(JedisDataException.class, j::configRewrite).getMessage());
        }
    }

    @Test
    void resetStatClearsCounters() {
        try (TestServer server = TestServer.start(); Jedis j = server.jedis()) {
            j.set("a", "1");
            assertThrows(JedisDataException.class, () -> j.sendCommand(() -> "NOSUCHCMD".getBytes()));
            assertTrue(j.info("stats").contains("total_error_replies:1"));
            assertEquals("OK", j.configResetStat());
            String info = j.info("all");
            assertTrue(info.contains("total_error_replies:0"), info);
            assertFalse(info.contains("cmdstat_set:"), info);
            assertFalse(info.contains("errorstat_ERR"), info);
        }
    }

    /** conf/redraft.conf loads, and documents every parameter the server knows. */
    @Test
    void shippedConfFileDocumentsEveryParameter() throws Exception {
        Path conf = Path.of("conf/redraft.conf");
        ServerConfig config = ServerConfig.fromArgs(conf.toString());
        String text = Files.readString(conf);
        for (io.redraft.server.ConfigParameter p : config.parameters()) {
            assertTrue(java.util.regex.Pattern.compile("(?m)^#? ?" + java.util.regex.Pattern.quote(p.name()) + " ")
                    .matcher(text).find(), "conf/redraft.conf does not document " + p.name());
        }
    }
}
