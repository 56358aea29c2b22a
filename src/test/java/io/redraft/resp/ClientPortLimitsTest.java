package io.redraft.resp;

import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** maxclients, timeout and client-query-buffer-limit over plain sockets. */
@Timeout(60)
class ClientPortLimitsTest {

    @Test
    void maxclientsRefusesTheThirdConnection() throws Exception {
        try (TestServer server = TestServer.start("maxclients", "2");
             RawClient a = new RawClient(server.port());
             RawClient b = new RawClient(server.port())) {
            assertEquals("+PONG", a.write("PING\r\n").read());
            assertEquals("+PONG", b.write("PING\r\n").read());
            try (RawClient c = new RawClient(server.port())) {
                assertEquals("-ERR max number of clients reached", c.read());
                assertTrue(c.closedByServer());
            }
            assertEquals("+PONG", a.write("PING\r\n").read());
            // a slot frees when a client leaves
            b.close();
            long deadline = System.currentTimeMillis() + 5_000;
            while (true) {
                try (RawClient d = new RawClient(server.port())) {
                    String reply = d.write("PING\r\n").read();
                    if (reply.equals("+PONG")) {
                        break;
                    }
                    assertEquals("-ERR max number of clients reached", reply);
                }
                assertTrue(System.currentTimeMillis() < deadline, "slot never freed");
                Thread.sleep(20);
            }
        }
    }

    @Test
    void idleClientsAreClosedAfterTimeout() throws Exception {
        try (TestServer server = TestServer.start("timeout", "1");
             RawClient idle = new RawClient(server.port());
             RawClient busy = new RawClient(server.port())) {
            assertEquals("+PONG", idle.write("PING\r\n").read());
            long start = System.nanoTime();
            // the busy client keeps talking and must survive
            for (int i = 0; i < 6; i++) {
                Thread.sleep(250);
                assertEquals("+PONG", busy.write("PING\r\n").read());
            }
            assertTrue(idle.closedByServer());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 5_000, "closed after " + ms + " ms");
            assertEquals("+PONG", busy.write("PING\r\n").read());
        }
    }

    @Test
    void queryBufferLimitClosesTheClient() throws Exception {
        try (TestServer server = TestServer.start("client-query-buffer-limit", "1mb", "proto-max-bulk-len", "8mb");
             RawClient bystander = new RawClient(server.port());
             RawClient c = new RawClient(server.port())) {
            c.write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4000000\r\n");
            OutputStream out = c.socket().getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int i = 0; i < 40; i++) { // 2.5 MB of the announced 4 MB
                    out.write(chunk);
                }
                out.flush();
            } catch (IOException closed) {
                // the server may close while we are still writing
            }
            assertTrue(c.closedByServer());
            assertEquals("+PONG", bystander.write("PING\r\n").read());
            assertEquals("(nil)", bystander.write("GET k\r\n").read());
        }
    }

    @Test
    void unauthenticatedClientsCannotSendLargeRequests() throws Exception {
        try (TestServer server = TestServer.start("requirepass", "secret")) {
            try (RawClient c = new RawClient(server.port())) {
                assertEquals("-ERR Protocol error: unauthenticated multibulk length", c.write("*100\r\n").read());
                assertTrue(c.closedByServer());
            }
            try (RawClient c = new RawClient(server.port())) {
                assertEquals("-ERR Protocol error: unauthenticated bulk length",
                        c.write("*1\r\n$100000000\r\n").read());
                assertTrue(c.closedByServer());
            }
            try (RawClient c = new RawClient(server.port())) {
                // AUTH belongs to another command family; authenticate the session directly
                assertEquals("-NOAUTH Authentication required.", c.write("PING\r\n").read());
                for (var s : server.server().context().clients().all()) {
                    s.authenticated(true);
                }
                String big = "v".repeat(20_000);
                assertEquals("+OK", c.write(RawClient.command("SET", "k", big)).read());
                assertEquals(big, c.write("GET k\r\n").read());
            }
        }
    }
}
