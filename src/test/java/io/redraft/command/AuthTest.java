package io.redraft.command;

import io.redraft.testing.RawClient;
import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class AuthTest {
    private static String err(Object reply) {
        assertInstanceOf(RawClient.Error.class, reply, "expected an error, got " + reply);
        return ((RawClient.Error) reply).message();
    }

    @Test
    void requirepassGatesCommandsUntilAuth() throws Exception {
        try (TestServer server = TestServer.start("requirepass", "s3cret");
             RawClient c = new RawClient(server.port())) {
            assertEquals("NOAUTH Authentication required.", err(c.call("GET", "k")));
            assertEquals("NOAUTH Authentication required.", err(c.call("CLIENT", "ID")));
            assertTrue(err(c.call("HELLO", "3")).startsWith("NOAUTH HELLO must be called with the client already authenticated"));
            assertEquals(ConnectionCommands.WRONGPASS, err(c.call("AUTH", "wrong")));
            assertEquals(ConnectionCommands.WRONGPASS, err(c.call("AUTH", "alice", "s3cret")));
            assertEquals("ERR syntax error", err(c.call("AUTH", "a", "b", "c")));
            assertEquals("OK", c.call("AUTH", "s3cret"));
            assertEquals("OK", c.call("SET", "k", "v"));
            // RESET logs the connection out again
            assertEquals("RESET", c.call("RESET"));
            assertEquals("NOAUTH Authentication required.", err(c.call("GET", "k")));
            assertEquals("OK", c.call("AUTH", "default", "s3cret"));
            assertEquals("v", c.call("GET", "k"));
        }
    }

    @Test
    void helloCanAuthenticate() throws Exception {
        try (TestServer server = TestServer.start("requirepass", "pw");
             RawClient c = new RawClient(server.port())) {
            assertEquals(ConnectionCommands.WRONGPASS, err(c.call("HELLO", "3", "AUTH", "default", "nope")));
            Map<?, ?> m = (Map<?, ?>) c.call("HELLO", "3", "AUTH", "default", "pw", "SETNAME", "n1");
            assertEquals(3L, m.get("proto"));
            assertEquals("n1", c.call("CLIENT", "GETNAME"));
        }
    }

    @Test
    void authWithoutPasswordConfigured() throws Exception {
        try (TestServer server = TestServer.start(); RawClient c = new RawClient(server.port())) {
            assertEquals("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?", err(c.call("AUTH", "x")));
            // the default user is "nopass": AUTH default <anything> succeeds
            assertEquals("OK", c.call("AUTH", "default", "anything"));
            assertEquals(ConnectionCommands.WRONGPASS, err(c.call("AUTH", "bob", "x")));
        }
    }
}
