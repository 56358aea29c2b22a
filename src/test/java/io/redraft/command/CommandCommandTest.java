package io.redraft.command;

import io.redraft.testing.ServerPerClass;
import io.redraft.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class CommandCommandTest extends ServerPerClass {
    private static String err(Object reply) {
        assertInstanceOf(RawClient.Error.class, reply, "expected an error, got " + reply);
        return ((RawClient.Error) reply).message();
    }

    @Test
    void countAndAll() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            long count = (Long) c.call("COMMAND", "COUNT");
            assertEquals(server.server().context().table().size(), count);
            List<?> all = (List<?>) c.call("COMMAND");
            assertEquals(count, all.size());
            assertTrue(((List<?>) c.call("COMMAND", "HELP")).size() > 5);
        }
    }

    @Test
    void infoEntriesHaveRedis70Layout() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            List<?> r = (List<?>) c.call("COMMAND", "INFO", "get", "nosuchcommand", "config|get", "config");
            assertEquals(4, r.size());
            List<?> get = (List<?>) r.get(0);
            assertEquals(10, get.size());
            assertEquals("get", get.get(0));
            assertEquals(2L, get.get(1));
            assertTrue(((List<?>) get.get(2)).contains("readonly"), get.toString());
            assertEquals(1L, get.get(3));
            assertEquals(1L, get.get(4));
            assertEquals(1L, get.get(5));
            assertTrue(((List<?>) get.get(6)).contains("@read"), get.toString());
            List<?> keySpecs = (List<?>) get.get(8);
            assertEquals(1, keySpecs.size());
            assertNull(r.get(1));
            assertEquals("config|get", ((List<?>) r.get(2)).get(0));
            List<?> config = (List<?>) r.get(3);
            assertTrue(((List<?>) config.get(9)).size() >= 5, "subcommands of config");
            c.call("HELLO", "3");
            List<?> r3 = (List<?>) c.call("COMMAND", "INFO", "set");
            Map<?, ?> spec = (Map<?, ?>) ((List<?>) ((List<?>) r3.get(0)).get(8)).get(0);
            assertEquals(List.of("RW", "UPDATE"), spec.get("flags"));
        }
    }

    @Test
    void docsAsRedisCliReadsThem() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            List<?> flat = (List<?>) c.call("COMMAND", "DOCS");
            assertEquals(2 * server.server().context().table().size(), flat.size());
            c.call("HELLO", "3");
            Map<?, ?> docs = (Map<?, ?>) c.call("COMMAND", "DOCS", "get", "client", "nosuch");
            assertEquals(2, docs.size());
            Map<?, ?> get = (Map<?, ?>) docs.get("get");
            assertEquals("string", get.get("group"));
            assertNotNull(get.get("summary"));
            assertNotNull(get.get("since"));
            Map<?, ?> subs = (Map<?, ?>) ((Map<?, ?>) docs.get("client")).get("subcommands");
            assertTrue(subs.containsKey("client|setname"), subs.keySet().toString());
        }
    }

    @Test
    void listWithFilters() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            List<?> all = (List<?>) c.call("COMMAND", "LIST");
            assertTrue(all.contains("get") && all.contains("config|get"));
            List<?> pattern = (List<?>) c.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "config*");
            assertTrue(pattern.contains("config") && pattern.contains("config|set"));
            assertFalse(pattern.contains("get"));
            List<?> acl = (List<?>) c.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "connection");
            assertTrue(acl.contains("ping"), acl.toString());
            assertFalse(acl.contains("set"));
            assertEquals(List.of(), c.call("COMMAND", "LIST", "FILTERBY", "MODULE", "x"));
            assertEquals("ERR syntax error", err(c.call("COMMAND", "LIST", "FILTERBY", "COLOR", "x")));
        }
    }

    @Test
    void getkeys() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(List.of("k"), c.call("COMMAND", "GETKEYS", "set", "k", "v"));
            assertEquals(List.of("a", "b"), c.call("COMMAND", "GETKEYS", "del", "a", "b"));
            assertEquals("ERR Invalid command specified", err(c.call("COMMAND", "GETKEYS", "nosuch", "a")));
            assertEquals("ERR The command has no key arguments", err(c.call("COMMAND", "GETKEYS", "ping", "x")));
            assertEquals("ERR Invalid number of arguments specified for command",
                    err(c.call("COMMAND", "GETKEYS", "get", "a", "b")));
            List<?> withFlags = (List<?>) c.call("COMMAND", "GETKEYSANDFLAGS", "get", "k");
            assertEquals("k", ((List<?>) withFlags.get(0)).get(0));
        }
    }
}
