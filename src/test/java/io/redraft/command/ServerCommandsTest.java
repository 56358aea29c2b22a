package io.redraft.command;

import io.redraft.testing.ServerPerClass;
import io.redraft.testing.RawClient;
import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class ServerCommandsTest extends ServerPerClass {
    private static String err(Object reply) {
        assertInstanceOf(RawClient.Error.class, reply, "expected an error, got " + reply);
        return ((RawClient.Error) reply).message();
    }

    @Test
    void timeAndLastsave() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            List<?> t = (List<?>) c.call("TIME");
            long secs = Long.parseLong((String) t.get(0));
            long micros = Long.parseLong((String) t.get(1));
            assertTrue(Math.abs(secs - System.currentTimeMillis() / 1000) <= 2);
            assertTrue(micros >= 0 && micros < 1_000_000);
            long lastsave = (Long) c.call("LASTSAVE");
            assertTrue(lastsave <= secs && lastsave > secs - 600);
        }
    }

    @Test
    void debugObjectSleepAndActiveExpire() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.call("SET", "dbg-int", "12345");
            c.call("SET", "dbg-str", "hello");
            c.call("SET", "dbg-raw", "x".repeat(100));
            String o = (String) c.call("DEBUG", "OBJECT", "dbg-int");
            assertTrue(o.matches("Value at:0x[0-9a-f]+ refcount:1 encoding:int serializedlength:\\d+ lru:\\d+ lru_seconds_idle:\\d+"), o);
            assertTrue(((String) c.call("DEBUG", "OBJECT", "dbg-str")).contains("encoding:embstr"));
            assertTrue(((String) c.call("DEBUG", "OBJECT", "dbg-raw")).contains("encoding:raw"));
            assertEquals("ERR no such key", err(c.call("DEBUG", "OBJECT", "missing")));
            long start = System.nanoTime();
            assertEquals("OK", c.call("DEBUG", "SLEEP", "0.2"));
            assertTrue((System.nanoTime() - start) / 1_000_000 >= 190);
            assertEquals("OK", c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
            assertFalse(server.server().context().activeExpire());
            assertEquals("OK", c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1"));
            assertTrue(server.server().context().activeExpire());
            assertTrue(err(c.call("DEBUG", "NOSUCH")).startsWith("ERR unknown subcommand 'NOSUCH'. Try DEBUG HELP."));
            assertTrue(((List<?>) c.call("DEBUG", "HELP")).size() > 3);
        }
    }

    @Test
    void debugRefusedWhenDisabled() throws Exception {
        try (TestServer s = TestServer.start("enable-debug-command", "no"); RawClient c = new RawClient(s.port())) {
            assertTrue(err(c.call("DEBUG", "SLEEP", "0")).startsWith("ERR DEBUG command not allowed."));
        }
    }

    @Test
    void slowlogRecordsSlowCommands() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            assertEquals("OK", c.call("SLOWLOG", "RESET"));
            assertEquals("OK", c.call("CONFIG", "SET", "slowlog-log-slower-than", "100000"));
            c.call("CLIENT", "SETNAME", "slowpoke");
            c.call("DEBUG", "SLEEP", "0.15");
            c.call("PING");
            assertEquals(1L, c.call("SLOWLOG", "LEN"));
            List<?> entries = (List<?>) c.call("SLOWLOG", "GET");
            List<?> e = (List<?>) entries.get(0);
            assertEquals(6, e.size());
            assertTrue((Long) e.get(2) >= 100_000);
            assertEquals(List.of("DEBUG", "SLEEP", "0.15"), e.get(3));
            assertTrue(((String) e.get(4)).startsWith("127.0.0.1:"));
            assertEquals("slowpoke", e.get(5));
            // every command when the threshold is 0; long argument lists are trimmed
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
            String[] many = new String[40];
            many[0] = "DEL";
            for (int i = 1; i < many.length; i++) {
                many[i] = "a";
            }
            c.call(many);
            List<?> newest = (List<?>) ((List<?>) c.call("SLOWLOG", "GET", "1")).get(0);
            List<?> args = (List<?>) newest.get(3);
            assertEquals(32, args.size());
            assertEquals("... (9 more arguments)", args.get(31));
            assertEquals("ERR count should be greater than or equal to -1", err(c.call("SLOWLOG", "GET", "-2")));
            c.call("CONFIG", "SET", "slowlog-max-len", "2");
            assertEquals(2L, c.call("SLOWLOG", "LEN"));
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000", "slowlog-max-len", "128");
            assertEquals("OK", c.call("SLOWLOG", "RESET"));
            assertEquals(0L, c.call("SLOWLOG", "LEN"));
        }
    }

    @Test
    void latencyMonitor() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.call("LATENCY", "RESET");
            assertTrue(((String) c.call("LATENCY", "DOCTOR")).contains("Latency monitoring is disabled"));
            c.call("CONFIG", "SET", "latency-monitor-threshold", "50");
            c.call("DEBUG", "SLEEP", "0.1");
            List<?> latest = (List<?>) c.call("LATENCY", "LATEST");
            assertEquals(1, latest.size());
            List<?> ev = (List<?>) latest.get(0);
            assertEquals("command", ev.get(0));
            assertTrue((Long) ev.get(2) >= 50);
            assertEquals(1, ((List<?>) c.call("LATENCY", "HISTORY", "command")).size());
            assertTrue(((String) c.call("LATENCY", "DOCTOR")).contains("command"));
            assertEquals("ERR No samples available for event 'nothing'", err(c.call("LATENCY", "GRAPH", "nothing")));
            assertEquals(1L, c.call("LATENCY", "RESET"));
            assertEquals(List.of(), c.call("LATENCY", "LATEST"));
            c.call("CONFIG", "SET", "latency-monitor-threshold", "0");
        }
    }

    @Test
    void memoryUsage() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.call("SET", "mem-small", "v");
            c.call("SET", "mem-big", "x".repeat(10_000));
            long small = (Long) c.call("MEMORY", "USAGE", "mem-small");
            long big = (Long) c.call("MEMORY", "USAGE", "mem-big", "SAMPLES", "0");
            assertTrue(small > 0 && big > 10_000 && big > small);
            assertNull(c.call("MEMORY", "USAGE", "mem-missing"));
            assertEquals("ERR syntax error", err(c.call("MEMORY", "USAGE", "mem-small", "BOGUS", "1")));
            assertTrue(((List<?>) c.call("MEMORY", "HELP")).size() > 3);
        }
    }

    @Test
    void debugProtocolInBothProtocols() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            assertEquals("Hello World", c.call("DEBUG", "PROTOCOL", "string"));
            assertEquals(List.of(0L, 1L, 2L), c.call("DEBUG", "PROTOCOL", "array"));
            assertEquals(List.of(0L, 0L, 1L, 1L, 2L, 0L), c.call("DEBUG", "PROTOCOL", "map"));
            assertEquals("ERR RESP2 is not supported by this command", err(c.call("DEBUG", "PROTOCOL", "push")));
            assertTrue(err(c.call("DEBUG", "PROTOCOL", "nope")).startsWith("ERR Wrong protocol type name."));
            c.call("HELLO", "3");
            assertEquals(Boolean.TRUE, c.call("DEBUG", "PROTOCOL", "true"));
            assertEquals(3.141, c.call("DEBUG", "PROTOCOL", "double"));
            assertEquals(java.util.Map.of(0L, false, 1L, true, 2L, false), c.call("DEBUG", "PROTOCOL", "map"));
            assertEquals(List.of("server-cpu-usage", 42L), c.call("DEBUG", "PROTOCOL", "push"));
            assertEquals('>', c.lastType());
            assertEquals("Some real reply following the push reply", c.read());
            assertEquals("OK", c.call("DEBUG", "RELOAD"));
        }
    }
}
