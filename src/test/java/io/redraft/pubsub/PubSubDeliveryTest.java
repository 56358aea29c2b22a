package io.redraft.pubsub;

import io.redraft.cluster.CommandInvoker;
import io.redraft.cluster.KeyspaceStateMachine;
import io.redraft.cluster.WriteEntry;
import io.redraft.command.CommandContext;
import io.redraft.server.ServerContext;
import io.redraft.testing.RawClient;
import io.redraft.testing.ServerPerClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Delivery at apply time: a PUBLISH entry applied with no waiting publisher (as on a node the
 * publisher is not connected to) still reaches local subscribers; subscribers that do not read
 * are disconnected at the pubsub client-output-buffer-limit.
 */
@Timeout(60)
class PubSubDeliveryTest extends ServerPerClass {
    @AfterEach
    void restoreLimits() {
        try (Jedis j = server.jedis()) {
            j.configSet("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
        }
    }

    private static byte[][] argv(String... a) {
        return Arrays.stream(a).map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    @Test
    void entryAppliedWithoutAWaitingPublisherIsDeliveredAllTheSame() throws Exception {
        try (RawClient sub = new RawClient(server.port())) {
            assertEquals(List.of("subscribe", "remote", 1L), sub.call("SUBSCRIBE", "remote"));
            assertEquals(List.of("psubscribe", "rem*", 2L), sub.call("PSUBSCRIBE", "rem*"));
            ServerContext ctx = server.server().context();
            // A state machine applying a PUBLISH that a client of another node sent: no session
            // waits here. (A second state machine over the same keyspace, so this node's own log
            // and applied index are left alone; PUBLISH changes no key.)
            KeyspaceStateMachine follower = new KeyspaceStateMachine(ctx, new CommandContext(ctx),
                    new CommandInvoker(ctx.stats()));
            long index = ctx.executor().stateMachine().appliedIndex();
            ctx.executor().thread().submit(() -> follower.apply(index,
                    WriteEntry.command(0, System.currentTimeMillis(), argv("PUBLISH", "remote", "from-log")), null)).get();
            assertEquals(List.of("message", "remote", "from-log"), sub.read());
            assertEquals(List.of("pmessage", "rem*", "remote", "from-log"), sub.read());
        }
    }

    /** Subscribes on a socket with a tiny receive window that is then never read. */
    private Socket stalledSubscriber(String channel) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.setSoTimeout(10_000);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()));
        OutputStream out = s.getOutputStream();
        String cmd = "*2\r\n$9\r\nSUBSCRIBE\r\n$" + channel.length() + "\r\n" + channel + "\r\n";
        out.write(cmd.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] expected = ("*3\r\n$9\r\nsubscribe\r\n$" + channel.length() + "\r\n" + channel + "\r\n:1\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(expected, in.readNBytes(expected.length));
        return s;
    }

    /**
     * Publishes payload-sized messages (pausing pauseMillis between them) until channel has no
     * subscriber left; returns how many were sent. Bounded: fails after maxMessages.
     */
    private static int publishUntilDropped(Jedis pub, String channel, int payload, long pauseMillis, int maxMessages)
            throws InterruptedException {
        String message = "x".repeat(payload);
        for (int n = 1; n <= maxMessages; n++) {
            pub.publish(channel, message);
            if (pub.pubsubNumSub(channel).get(channel) == 0) {
                return n;
            }
            if (pauseMillis > 0) {
                Thread.sleep(pauseMillis); // paces the publisher so the soft limit's seconds can pass
            }
        }
        return fail("subscriber of " + channel + " still connected after " + maxMessages + " messages");
    }

    @Test
    void subscriberOverTheHardLimitIsDisconnected() throws Exception {
        try (Jedis pub = server.jedis()) {
            pub.configSet("client-output-buffer-limit", "pubsub 256kb 0 0");
            try (Socket stalled = stalledSubscriber("flood");
                 RawClient healthy = new RawClient(server.port())) {
                healthy.call("SUBSCRIBE", "other");
                int sent = publishUntilDropped(pub, "flood", 16 * 1024, 0, 4000);
                assertTrue(sent > 16, "closed before its backlog could reach 256kb: " + sent);
                assertTrue(drainsToEof(stalled), "the server closed the stalled subscriber");
                assertEquals(1L, pub.publish("other", "still here"));
                assertEquals(List.of("message", "other", "still here"), healthy.read());
                assertTrue(pub.clientList().contains(" sub=1 "), "the healthy subscriber stays");
            }
        }
    }

    @Test
    void subscriberOverTheSoftLimitForItsSecondsIsDisconnected() throws Exception {
        try (Jedis pub = server.jedis()) {
            pub.configSet("client-output-buffer-limit", "pubsub 0 64kb 1");
            try (Socket stalled = stalledSubscriber("slow")) {
                long start = System.nanoTime();
                publishUntilDropped(pub, "slow", 64 * 1024, 10, 2000);
                long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                assertTrue(seconds >= 1, "the soft limit allows its seconds first");
                assertTrue(drainsToEof(stalled));
            }
        }
    }

    /** Reads whatever the server had sent until the connection ends (true) or reading times out. */
    private static boolean drainsToEof(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[64 * 1024];
        try {
            while (in.read(buf) >= 0) {
                // discard: the messages sent before the server gave up on this client
            }
            return true;
        } catch (java.net.SocketException e) {
            return true; // reset by the server: closed too
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }
}
