package io.redraft.resp;

import io.redraft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client port over plain sockets: malformed frames, ordering, pipelines. */
@Timeout(120)
class ClientPortProtocolTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("proto-max-bulk-len", "1mb");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Sends bytes on a fresh connection; expects exactly these replies, then the server closing it. */
    private static void expectRepliesThenClose(String request, String... replies) throws IOException {
        try (RawClient bystander = new RawClient(server.port()); RawClient c = new RawClient(server.port())) {
            bystander.write("PING\r\n");
            assertEquals("+PONG", bystander.read());
            c.write(request);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < replies.length; i++) {
                got.add(c.read());
            }
            assertEquals(List.of(replies), got);
            assertTrue(c.closedByServer(), "connection must be closed after a protocol error");
            // only that connection: another client keeps working
            bystander.write(RawClient.command("ECHO", "still here"));
            assertEquals("still here", bystander.read());
        }
    }

    @Test
    void invalidMultibulkLength() throws IOException {
        expectRepliesThenClose("*abc\r\n", "-ERR Protocol error: invalid multibulk length");
        expectRepliesThenClose("*1048577\r\n", "-ERR Protocol error: invalid multibulk length");
    }

    @Test
    void expectedDollar() throws IOException {
        expectRepliesThenClose("*1\r\nx\r\n", "-ERR Protocol error: expected '$', got 'x'");
        expectRepliesThenClose("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", "-ERR Protocol error: expected '$', got 'f'");
    }

    @Test
    void invalidBulkLength() throws IOException {
        expectRepliesThenClose("*1\r\n$-5\r\n", "-ERR Protocol error: invalid bulk length");
        expectRepliesThenClose("*1\r\n$abc\r\n", "-ERR Protocol error: invalid bulk length");
        // over proto-max-bulk-len (1mb here)
        expectRepliesThenClose("*2\r\n$3\r\nGET\r\n$2000000\r\n", "-ERR Protocol error: invalid bulk length");
    }

    @Test
    void oversizeLines() throws IOException {
        expectRepliesThenClose("x".repeat(70_000), "-ERR Protocol error: too big inline request");
        expectRepliesThenClose("*" + "1".repeat(70_000), "-ERR Protocol error: too big mbulk count string");
        expectRepliesThenClose("*1\r\n$" + "1".repeat(70_000), "-ERR Protocol error: too big bulk count string");
    }

    @Test
    void unbalancedQuotes() throws IOException {
        expectRepliesThenClose("SET a \"b\r\n", "-ERR Protocol error: unbalanced quotes in request");
    }

    @Test
    void repliesBeforeTheBadFrameComeFirst() throws IOException {
        expectRepliesThenClose("PING\r\n*abc\r\nPING\r\n", "+PONG", "-ERR Protocol error: invalid multibulk length");
        expectRepliesThenClose("SET pk v\r\nGET pk\r\n*1\r\n$1\r\nx\r\n*1\r\n$-1\r\n",
                "+OK", "v", "-ERR unknown command 'x', with args beginning with: ",
                "-ERR Protocol error: invalid bulk length");
    }

    @Test
    void inlineAndEmptyRequests() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.write("\r\n\r\n*0\r\n*-1\r\nPING\r\n");
            assertEquals("+PONG", c.read());
            c.write("SET inl \"b c\\x41\\n\"\r\nGET inl\r\nSET inl2 'x'\r\nGET inl2\r\n");
            assertEquals("+OK", c.read());
            assertEquals("b cA\n", c.read());
            assertEquals("+OK", c.read());
            assertEquals("x", c.read());
        }
    }

    @Test
    void binarySafeArguments() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.write(RawClient.command("SET", "bin", "a\r\nb\r\n*1\r\n$4\r\nPING\r\n"));
            c.write(RawClient.command("GET", "bin"));
            assertEquals("+OK", c.read());
            assertEquals("a\r\nb\r\n*1\r\n$4\r\nPING\r\n", c.read());
        }
    }

    @Test
    void requestSplitAcrossManyWrites() throws IOException {
        byte[] req = RawClient.command("SET", "split", "value");
        try (RawClient c = new RawClient(server.port())) {
            for (byte b : req) {
                c.write(new byte[]{b});
            }
            c.write("GET split\r\n");
            assertEquals("+OK", c.read());
            assertEquals("value", c.read());
        }
    }

    @Test
    void pipelinedSetThenGetSeesTheNewValue() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int i = 0; i < 100; i++) {
                b.writeBytes(RawClient.command("SET", "pk", "v" + i));
                b.writeBytes(RawClient.command("GET", "pk"));
            }
            c.write(b.toByteArray());
            for (int i = 0; i < 100; i++) {
                assertEquals("+OK", c.read());
                assertEquals("v" + i, c.read());
            }
        }
    }

    @Test
    void tenThousandCommandPipeline() throws Exception {
        int n = 10_000;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            b.writeBytes(RawClient.command("SET", "k_" + i, "v_" + i));
        }
        for (int i = 0; i < n; i++) {
            b.writeBytes(RawClient.command("GET", "k_" + i));
        }
        byte[] all = b.toByteArray();
        try (RawClient c = new RawClient(server.port())) {
            // written in one go, from another thread so that neither side can block the other
            Thread writer = new Thread(() -> {
                try {
                    c.write(all);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            for (int i = 0; i < n; i++) {
                assertEquals("+OK", c.read(), "reply " + i);
            }
            for (int i = 0; i < n; i++) {
                assertEquals("v_" + i, c.read(), "reply " + (n + i));
            }
            writer.join(10_000);
        }
    }
}
