package io.redraft.command;

import io.redraft.testing.ServerPerClass;
import io.redraft.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class ConnectionCommandsTest extends ServerPerClass {
    private static String err(Object reply) {
        assertInstanceOf(RawClient.Error.class, reply, "expected an error, got " + reply);
        return ((RawClient.Error) reply).message();
    }

    @Test
    void pingEchoInBothProtocols() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            assertEquals("PONG", c.call("PING"));
            assertEquals('+', c.lastType());
            assertEquals("hi", c.call("PING", "hi"));
            assertEquals("x y", c.call("ECHO", "x y"));
            assertEquals("ERR wrong number of arguments for 'ping' command", err(c.call("PING", "a", "b")));
            c.call("HELLO", "3");
            assertEquals("PONG", c.call("PING"));
            assertEquals('+', c.lastType());
        }
    }

    @Test
    void helloSwitchesProtocolAndDescribesServer() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            Object r = c.call("HELLO", "3", "SETNAME", "lettuce");
            assertEquals('%', c.lastType());
            Map<?, ?> m = (Map<?, ?>) r;
            assertEquals("redis", m.get("server"));
            assertEquals("7.0.0", m.get("version"));
            assertEquals(3L, m.get("proto"));
            assertEquals("standalone", m.get("mode"));
            assertEquals("master", m.get("role"));
            assertEquals(List.of(), m.get("modules"));
            assertEquals(c.call("CLIENT", "ID"), m.get("id"));
            assertEquals("lettuce", c.call("CLIENT", "GETNAME"));
            // RESP3 null for a missing key
            c.call("GET", "no-such-key");
            assertEquals('_', c.lastType());
            // HELLO without a version keeps the protocol
            assertEquals(3L, ((Map<?, ?>) c.call("HELLO")).get("proto"));
            Object r2 = c.call("HELLO", "2");
            assertEquals('*', c.lastType());
            assertTrue(((List<?>) r2).contains("proto"));
            assertEquals("NOPROTO unsupported protocol version", err(c.call("HELLO", "4")));
            assertEquals("NOPROTO unsupported protocol version", err(c.call("HELLO", "1")));
            assertEquals("ERR Protocol version is not an integer or out of range", err(c.call("HELLO", "x")));
            assertEquals("ERR Syntax error in HELLO option 'bogus'", err(c.call("HELLO", "3", "bogus")));
            assertEquals("ERR Syntax error in HELLO option 'AUTH'", err(c.call("HELLO", "3", "AUTH", "default")));
        }
    }

    @Test
    void resetRestoresConnectionDefaults() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.call("HELLO", "3");
            c.call("SELECT", "3");
            c.call("CLIENT", "SETNAME", "before");
            assertEquals("RESET", c.call("RESET"));
            assertEquals('+', c.lastType());
            assertNull(c.call("CLIENT", "GETNAME"));
            assertEquals('$', c.lastType()); // back to RESP2: $-1
            String info = (String) c.call("CLIENT", "INFO");
            assertTrue(info.contains(" db=0 "), info);
            assertTrue(info.contains(" resp=2 "), info);
        }
    }

    @Test
    void clientNamesAndInfo() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            assertNull(c.call("CLIENT", "GETNAME"));
            assertEquals("OK", c.call("CLIENT", "SETNAME", "worker-1"));
            assertEquals("worker-1", c.call("CLIENT", "GETNAME"));
            assertEquals("ERR Client names cannot contain spaces, newlines or special characters.",
                    err(c.call("CLIENT", "SETNAME", "a b")));
            assertEquals("OK", c.call("CLIENT", "SETINFO", "LIB-NAME", "jedis"));
            assertEquals("OK", c.call("CLIENT", "SETINFO", "lib-ver", "5.2.0"));
            assertTrue(err(c.call("CLIENT", "SETINFO", "other", "x")).startsWith("ERR Unrecognized option"));
            assertEquals("OK", c.call("CLIENT", "NO-EVICT", "on"));
            assertEquals("ERR syntax error", err(c.call("CLIENT", "NO-EVICT", "maybe")));
            String line = (String) c.call("CLIENT", "INFO");
            assertTrue(line.matches("id=\\d+ addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:\\d+ fd=-?\\d+ name=worker-1 "
                    + "age=\\d+ idle=\\d+ flags=e db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=\\d+ qbuf-free=\\d+ argv-mem=\\d+ "
                    + "multi-mem=\\d+ rbs=\\d+ rbp=\\d+ obl=\\d+ oll=\\d+ omem=\\d+ tot-mem=\\d+ events=r cmd=client\\|info "
                    + "user=default redir=-1 resp=2 lib-name=jedis lib-ver=5\\.2\\.0\n"), line);
            assertTrue(err(c.call("CLIENT", "NOSUCH")).startsWith("ERR unknown subcommand 'NOSUCH'. Try CLIENT HELP."));
            assertInstanceOf(List.class, c.call("CLIENT", "HELP"));
        }
    }

    @Test
    void clientListFiltersAndKill() throws Exception {
        try (RawClient a = new RawClient(server.port()); RawClient b = new RawClient(server.port())) {
            long idA = (Long) a.call("CLIENT", "ID");
            long idB = (Long) b.call("CLIENT", "ID");
            String all = (String) a.call("CLIENT", "LIST");
            assertTrue(all.contains("id=" + idA + " ") && all.contains("id=" + idB + " "), all);
            String onlyB = (String) a.call("CLIENT", "LIST", "ID", Long.toString(idB));
            assertEquals(1, onlyB.split("\n").length);
            assertTrue(onlyB.startsWith("id=" + idB + " "));
            assertEquals("", a.call("CLIENT", "LIST", "TYPE", "pubsub"));
            assertTrue(((String) a.call("CLIENT", "LIST", "TYPE", "normal")).contains("id=" + idA));
            assertEquals("ERR Unknown client type 'bogus'", err(a.call("CLIENT", "LIST", "TYPE", "bogus")));
            assertEquals("ERR Invalid client ID", err(a.call("CLIENT", "LIST", "ID", "x")));
            assertEquals("ERR No such client", err(a.call("CLIENT", "KILL", "1.2.3.4:5")));
            // SKIPME yes by default: killing my own id finds nobody
            assertEquals(0L, a.call("CLIENT", "KILL", "ID", Long.toString(idA)));
            assertEquals(1L, a.call("CLIENT", "KILL", "ID", Long.toString(idB)));
            assertTrue(b.closedByServer());
            // old form against my own address closes me after the reply
            String myAddr = ((String) a.call("CLIENT", "INFO")).split(" ")[1].substring("addr=".length());
            assertEquals("OK", a.call("CLIENT", "KILL", myAddr));
            assertTrue(a.closedByServer());
        }
    }

    @Test
    void clientReplyOffAndSkip() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("CLIENT", "REPLY", "OFF");
            c.send("SET", "reply-k", "1");
            c.send("GET", "reply-k");
            assertEquals("OK", c.call("CLIENT", "REPLY", "ON"));
            c.send("CLIENT", "REPLY", "SKIP");
            c.send("PING", "skipped");
            assertEquals("seen", c.call("PING", "seen"));
            assertEquals("1", c.call("GET", "reply-k")); // the write ran although its reply was dropped
            assertEquals("ERR syntax error", err(c.call("CLIENT", "REPLY", "sometimes")));
        }
    }

    @Test
    void clientPauseDelaysOtherClientsWrites() throws Exception {
        try (RawClient admin = new RawClient(server.port()); RawClient w = new RawClient(server.port())) {
            assertEquals("OK", admin.call("CLIENT", "PAUSE", "400", "WRITE"));
            long start = System.nanoTime();
            assertEquals("PONG", w.call("PING")); // reads are not paused
            assertTrue((System.nanoTime() - start) / 1_000_000 < 300);
            assertEquals("OK", w.call("SET", "paused-k", "v"));
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waited >= 300, "write ran after " + waited + " ms");
            // UNPAUSE lets postponed clients go at once, and ALL pauses reads too
            assertEquals("ERR timeout is negative", err(admin.call("CLIENT", "PAUSE", "-1")));
            assertEquals("ERR timeout is not an integer or out of range", err(admin.call("CLIENT", "PAUSE", "x")));
            assertEquals("ERR CLIENT PAUSE mode must be WRITE or ALL", err(admin.call("CLIENT", "PAUSE", "10", "SOME")));
            assertEquals("OK", admin.call("CLIENT", "PAUSE", "20000", "ALL"));
            w.send("GET", "paused-k");
            Thread.sleep(200);
            start = System.nanoTime();
            assertEquals("OK", admin.call("CLIENT", "UNPAUSE"));
            assertEquals("v", w.read());
            assertTrue((System.nanoTime() - start) / 1_000_000 < 3000);
        }
    }

    /** Jedis pools send CLIENT SETINFO LIB-NAME / LIB-VER on every new connection. */
    @Test
    void jedisPoolHandshakeSetsLibraryInfo() {
        try (redis.clients.jedis.JedisPooled pool = new redis.clients.jedis.JedisPooled("127.0.0.1", server.port())) {
            pool.set("pooled", "1");
            assertEquals("1", pool.get("pooled"));
            Object reply = pool.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "LIST");
            String list = reply instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : null;
            assertNotNull(list);
            assertTrue(list.contains("lib-name=jedis"), list);
            assertTrue(list.matches("(?s).*lib-ver=\\d.*"), list);
        }
    }
}
