package io.redraft.resp;

import io.redraft.server.ClientSession;
import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that pipelines gigabytes of replies without reading them must not make the server
 * buffer them: the server stops executing that client's commands while its channel is
 * unwritable, and resumes when it reads, with every reply intact and in order.
 */
@Timeout(180)
class SlowReaderBackpressureTest {
    private static final int VALUE = 1024 * 1024;
    private static final int GETS = 2000; // 2 GB of replies

    @Test
    void nonReadingClientKeepsServerMemoryBounded() throws Exception {
        try (TestServer server = TestServer.start();
             RawClient slow = new RawClient(server.port(), 30_000);
             RawClient other = new RawClient(server.port(), 5_000)) {
            byte[] value = new byte[VALUE];
            for (int i = 0; i < VALUE; i++) {
                value[i] = (byte) ('a' + i % 26);
            }
            try (var jedis = server.jedis()) {
                jedis.set("bigkey".getBytes(), value);
            }
            slow.socket().setReceiveBufferSize(64 * 1024);
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            for (int i = 0; i < GETS; i++) {
                pipeline.writeBytes(RawClient.command("GET", "bigkey"));
                if (i % 100 == 0) {
                    pipeline.writeBytes(RawClient.command("ECHO", "marker" + i));
                }
            }
            slow.write(pipeline.toByteArray());

            ClientSession session = awaitSessionWithBacklog(server);
            long maxPending = 0;
            long deadline = System.currentTimeMillis() + 2_000;
            while (System.currentTimeMillis() < deadline) {
                maxPending = Math.max(maxPending, session.pendingOutputBytes());
                long t0 = System.nanoTime();
                assertEquals("+PONG", other.write("PING\r\n").read());
                long pingMs = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(pingMs < 1_000, "PING took " + pingMs + " ms while another client was stalled");
                Thread.sleep(50);
            }
            // one reply in flight plus the flush threshold, not gigabytes
            assertTrue(maxPending < 4L * VALUE, "server buffered " + maxPending + " bytes for a non-reading client");
            assertTrue(session.queuedCommands() > GETS / 2,
                    "the commands must wait, not run: " + session.queuedCommands() + " still queued");

            // now read everything, in order
            for (int i = 0; i < GETS; i++) {
                byte[] got = slow.readBulk();
                if (!Arrays.equals(value, got)) {
                    assertArrayEquals(value, got, "reply " + i);
                }
                if (i % 100 == 0) {
                    assertEquals("marker" + i, slow.read());
                }
                if (i % 200 == 0) {
                    maxPending = Math.max(maxPending, session.pendingOutputBytes());
                }
            }
            assertTrue(maxPending < 4L * VALUE, "server buffered " + maxPending + " bytes while draining");
            assertEquals("+PONG", slow.write("PING\r\n").read());
            assertEquals(0, session.queuedCommands());
        }
    }

    /** The slow client's session once its commands have arrived and it has stalled. */
    private static ClientSession awaitSessionWithBacklog(TestServer server) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (ClientSession s : server.server().context().clients().all()) {
                if (s.queuedCommands() > GETS / 2) {
                    return s;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the pipelined commands never queued");
    }
}
