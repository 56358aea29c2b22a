package io.redraft.raft.net;

import io.redraft.raft.Entry;
import io.redraft.raft.Membership;
import io.redraft.raft.Message;
import io.redraft.raft.MessageType;
import io.redraft.raft.Snapshot;
import io.redraft.raft.SnapshotMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.redraft.raft.net.TestNode.await;
import static io.redraft.raft.net.TestNode.awaitConnected;
import static io.redraft.raft.net.TestNode.mesh;
import static io.redraft.raft.net.TestNode.take;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transport over real loopback sockets. */
@Timeout(120)
class PeerTransportTest {
    private static final String CLUSTER = "test-cluster";

    private static Message append(long from, long to, long seq) {
        return Message.builder(MessageType.APPEND, from, to, 1).index(seq)
                .entries(List.of(new Entry(seq + 1, 1, Entry.Type.NORMAL, ("v" + seq).getBytes()))).build();
    }

    /** Receives {@code count} messages at {@code node} and checks each sender's come in sequence 0, 1, 2, ... */
    private static void expectInOrder(TestNode node, int count, long... senders) throws InterruptedException {
        long[] next = new long[64];
        for (int i = 0; i < count * senders.length; i++) {
            Message m = take(node.messages);
            assertEquals(node.id, m.to);
            assertEquals(next[(int) m.from]++, m.index, "order of messages from node " + m.from);
            assertEquals("v" + m.index, new String(m.entries.get(0).data()));
        }
        for (long s : senders) assertEquals(count, next[(int) s]);
    }

    @Test
    void twoNodesWithPasswordExchangeThousandsOfMessagesInOrderAndForwards() throws Exception {
        PeerConfig cfg = TestNode.fastConfig().withMaxQueuedFrames(20_000);
        try (TestNode a = new TestNode(1, CLUSTER, "s3cret", cfg); TestNode b = new TestNode(2, CLUSTER, "s3cret", cfg)) {
            mesh(a, b);
            awaitConnected(a, b);
            int n = 5000;
            for (int i = 0; i < n; i++) {
                assertTrue(a.transport.send(append(1, 2, i)));
                assertTrue(b.transport.send(append(2, 1, i)));
            }
            expectInOrder(b, n, 1);
            expectInOrder(a, n, 2);

            // forwarding: follower 2 forwards a command, leader 1 replies with raw RESP
            List<byte[]> argv = List.of("SET".getBytes(), "key".getBytes(), new byte[]{0, 1, 2});
            assertTrue(b.transport.sendForward(1, 42, 7, 3, argv));
            TestNode.Forward f = take(a.forwards);
            assertEquals(2, f.from());
            assertEquals(42, f.requestId());
            assertEquals(7, f.sessionId());
            assertEquals(3, f.db());
            for (int i = 0; i < argv.size(); i++) assertArrayEquals(argv.get(i), f.argv().get(i));
            assertTrue(a.transport.sendForwardReply(f.from(), f.requestId(), "+OK\r\n".getBytes()));
            TestNode.Reply r = take(b.replies);
            assertEquals(1, r.from());
            assertEquals(42, r.requestId());
            assertArrayEquals("+OK\r\n".getBytes(), r.reply());

            PeerStats.View sa = a.transport.stats().get(2L);
            assertTrue(sa.connected());
            assertEquals(n + 1, sa.messagesSent());
            assertEquals(n + 1, sa.messagesReceived());
            assertEquals(0, sa.dropped());
            assertTrue(sa.bytesSent() > n * 10L && sa.bytesReceived() > n * 10L);
            assertFalse(a.transport.send(append(1, 9, 0)), "unknown peer");
        }
    }

    @Test
    void threeNodesExchangeInOrderPerPeer() throws Exception {
        PeerConfig cfg = TestNode.fastConfig().withMaxQueuedFrames(20_000);
        try (TestNode a = new TestNode(1, CLUSTER, null, cfg); TestNode b = new TestNode(2, CLUSTER, null, cfg);
             TestNode c = new TestNode(3, CLUSTER, null, cfg)) {
            TestNode[] all = {a, b, c};
            mesh(all);
            awaitConnected(all);
            int n = 3000;
            for (int i = 0; i < n; i++) {
                for (TestNode from : all) for (TestNode to : all) if (from != to) assertTrue(from.transport.send(append(from.id, to.id, i)));
            }
            expectInOrder(a, n, 2, 3);
            expectInOrder(b, n, 1, 3);
            expectInOrder(c, n, 1, 2);
        }
    }

    @Test
    void peerThatIsDownGetsQueuedMessagesOnceItComesUp() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (TestNode a = new TestNode(1, CLUSTER, null, TestNode.fastConfig())) {
            a.transport.updatePeers(Map.of(1L, a.address(), 2L, new InetSocketAddress("127.0.0.1", port)));
            for (int i = 0; i < 100; i++) assertTrue(a.transport.send(append(1, 2, i)));
            assertFalse(a.transport.isConnected(2));
            try (TestNode b = new TestNode(2, CLUSTER, null, TestNode.fastConfig(), port)) {
                b.transport.updatePeers(Map.of(1L, a.address(), 2L, b.address()));
                expectInOrder(b, 100, 1);
                assertEquals(1, a.connects.get(2L));
                // and messages sent after the reconnect keep flowing
                a.transport.send(append(1, 2, 100));
                assertEquals(100, take(b.messages).index);
            }
            await(() -> !a.transport.isConnected(2), "disconnect noticed");
            // comes back again on the same port: the link reconnects by itself
            try (TestNode b = new TestNode(2, CLUSTER, null, TestNode.fastConfig(), port)) {
                b.transport.updatePeers(Map.of(1L, a.address(), 2L, b.address()));
                await(() -> a.transport.isConnected(2), "reconnected");
                a.transport.send(append(1, 2, 0));
                assertEquals(0, take(b.messages).index);
            }
        }
    }

    @Test
    void wrongPasswordIsRefusedInBothDirectionsAndLogged() throws Exception {
        try (LogCapture log = new LogCapture("io.redraft.raft.net");
             TestNode a = new TestNode(1, CLUSTER, "right", TestNode.fastConfig());
             TestNode b = new TestNode(2, CLUSTER, "wrong", TestNode.fastConfig());
             TestNode c = new TestNode(3, CLUSTER, null, TestNode.fastConfig())) {
            mesh(a, b, c);
            a.transport.send(append(1, 2, 0));
            b.transport.send(append(2, 1, 0));
            await(() -> log.contains("to node 2", "wrong cluster password") && log.contains("to node 1", "wrong cluster password"),
                    "both initiators refusing the other's proof");
            await(() -> log.contains("node 1", "refused by the peer: wrong cluster password")
                    && log.contains("node 2", "refused by the peer: wrong cluster password"), "both acceptors told");
            // a node without a password and one with one refuse each other too, saying why
            await(() -> log.contains("to node 3", "the peer has no cluster password set")
                    && log.contains("to node 1", "the peer uses a cluster password and this node has none"), "password mismatch");
            assertFalse(a.transport.isConnected(2));
            assertFalse(b.transport.isConnected(1));
            assertFalse(c.transport.isConnected(1));
            assertTrue(a.messages.isEmpty() && b.messages.isEmpty());
        }
    }

    @Test
    void wrongClusterIdAndUnknownNodeAreRefused() throws Exception {
        try (LogCapture log = new LogCapture("io.redraft.raft.net");
             TestNode a = new TestNode(1, CLUSTER, null, TestNode.fastConfig());
             TestNode b = new TestNode(2, "other-cluster", null, TestNode.fastConfig())) {
            mesh(a, b);
            await(() -> log.contains("wrong cluster id 'other-cluster' (this cluster is 'test-cluster')")
                    && log.contains("wrong cluster id 'test-cluster' (this cluster is 'other-cluster')"), "cluster id refusals");
            assertFalse(a.transport.isConnected(2));
            assertFalse(b.transport.isConnected(1));

            // node 7 is not a member of node 1's cluster
            try (RawPeer raw = RawPeer.connect(a.port)) {
                raw.write(new PeerFrame.Hello(CLUSTER, 7, 1, HandshakeAuth.nonce(), new byte[0]));
                assertEquals(new PeerFrame.Refused("unknown node id 7"), raw.read());
                assertTrue(raw.closedByPeer());
            }
            assertTrue(log.contains("WARN", "unknown node id 7"));
        }
    }

    @Test
    void garbledAndOversizeFramesCloseThatConnectionOnly() throws Exception {
        PeerConfig cfg = TestNode.fastConfig().withMaxFrameBytes(64 * 1024);
        try (LogCapture log = new LogCapture("io.redraft.raft.net");
             TestNode a = new TestNode(1, CLUSTER, null, cfg); TestNode b = new TestNode(2, CLUSTER, null, cfg)) {
            a.transport.updatePeers(Map.of(1L, a.address(), 2L, b.address(), 3L, new InetSocketAddress("127.0.0.1", 1)));
            b.transport.updatePeers(Map.of(1L, a.address(), 2L, b.address()));
            awaitConnected(a, b);

            try (RawPeer raw = RawPeer.connect(a.port)) { // garbage instead of a handshake
                raw.write(new byte[]{0, 0, 0, 5, 9, 9, 9, 9, 9});
                assertTrue(raw.closedByPeer());
            }
            try (RawPeer raw = RawPeer.connect(a.port)) { // a frame over the limit
                raw.write(new byte[]{0, 0x10, 0, 0, 1, 1});
                assertTrue(raw.closedByPeer());
            }
            try (RawPeer raw = RawPeer.connect(a.port)) { // through the handshake, then garbled
                raw.handshakeAsInitiator(CLUSTER, 3, 1);
                byte[] frame = PeerFrameCodec.encode(new PeerFrame.Raft(append(3, 1, 0)));
                frame[6] = 99; // message type
                raw.write(frame);
                assertTrue(raw.closedByPeer());
            }
            try (RawPeer raw = RawPeer.connect(a.port)) { // a message claiming another sender
                raw.handshakeAsInitiator(CLUSTER, 3, 1);
                raw.write(PeerFrameCodec.encode(new PeerFrame.Raft(append(2, 1, 0))));
                assertTrue(raw.closedByPeer());
            }
            await(() -> log.contains("closing peer connection", "unsupported protocol version 9")
                    && log.contains("closing peer connection", "TooLongFrameException")
                    && log.contains("closing peer connection", "unknown message type 99")
                    && log.contains("closing peer connection", "message 2->1 on the connection from node 3"), log.lines().toString());
            assertTrue(a.messages.isEmpty(), "nothing from the bad connections was delivered");

            // a frame over the limit is not sent either: dropped, counted, and the caller told
            Message huge = Message.builder(MessageType.APPEND, 2, 1, 1)
                    .entries(List.of(new Entry(1, 1, Entry.Type.NORMAL, new byte[64 * 1024]))).build();
            assertFalse(b.transport.send(huge));
            assertEquals(1, b.transport.stats().get(1L).dropped());
            assertTrue(log.contains("APPEND to node 1 dropped: frame of"));

            // the good connection was never disturbed
            for (int i = 0; i < 100; i++) b.transport.send(append(2, 1, i));
            expectInOrder(a, 100, 2);
            assertEquals(1, b.connects.get(1L));
        }
    }

    @Test
    void twentyMegabyteSnapshotArrivesInChunksIntact(@TempDir Path dir) throws Exception {
        byte[] data = new byte[20 << 20];
        new Random(42).nextBytes(data);
        SnapshotMetadata md = new SnapshotMetadata(1000, 4, new Membership(java.util.Set.of(1L, 2L), java.util.Set.of(3L)));
        Message snap = Message.builder(MessageType.SNAPSHOT, 1, 2, 4).snapshot(new Snapshot(md, data)).build();
        try (TestNode a = new TestNode(1, CLUSTER, "pw", TestNode.fastConfig()); TestNode b = new TestNode(2, CLUSTER, "pw", TestNode.fastConfig())) {
            mesh(a, b);
            awaitConnected(a, b);
            assertTrue(a.transport.send(append(1, 2, 0)));
            assertTrue(a.transport.send(snap));
            assertTrue(a.transport.send(append(1, 2, 1)));
            assertEquals(0, take(b.messages).index);
            Messages.assertSame(snap, take(b.messages));
            assertEquals(1, take(b.messages).index, "messages after the snapshot keep their place");
            assertEquals(new TestNode.SnapshotResult(2, 1000, true), take(a.snapshotResults));
            assertTrue(a.transport.stats().get(2L).bytesSent() > data.length);

            // the same from a file, never loaded whole on the sender
            Path file = dir.resolve("snapshot.bin");
            Files.write(file, data);
            Message fromFile = Message.builder(MessageType.SNAPSHOT, 1, 2, 4).snapshot(new Snapshot(md, null)).build();
            assertTrue(a.transport.sendSnapshot(fromFile, file));
            assertArrayEquals(data, take(b.messages).snapshot.data());
            assertEquals(new TestNode.SnapshotResult(2, 1000, true), take(a.snapshotResults));
        }
    }

    @Test
    void stalledPeerDoesNotBlockDeliveryToAnother() throws Exception {
        PeerConfig cfg = TestNode.fastConfig().withMaxQueuedFrames(64);
        try (ServerSocket stalledServer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             TestNode a = new TestNode(1, CLUSTER, null, cfg); TestNode b = new TestNode(2, CLUSTER, null, cfg)) {
            Map<Long, InetSocketAddress> peers = Map.of(1L, a.address(), 2L, b.address(),
                    3L, new InetSocketAddress("127.0.0.1", stalledServer.getLocalPort()));
            a.transport.updatePeers(peers);
            b.transport.updatePeers(Map.of(1L, a.address(), 2L, b.address())); // the raw node 3 accepts node 1 only
            try (RawPeer stalled = RawPeer.accept(stalledServer)) {
                stalled.handshakeAsAcceptor(CLUSTER, 3); // ... and never reads again
                await(() -> a.transport.isConnected(3) && a.transport.isConnected(2), "connected");
                byte[] big = new byte[256 * 1024];
                int n = 2000;
                for (int i = 0; i < n; i++) {
                    a.transport.send(Message.builder(MessageType.APPEND, 1, 3, 1).index(i)
                            .entries(List.of(new Entry(i + 1, 1, Entry.Type.NORMAL, big))).build());
                    assertTrue(a.transport.send(append(1, 2, i)));
                    // node 2 is healthy: its queue keeps draining while node 3's stays full
                    if (i % 32 == 31) await(() -> a.transport.queued(2) == 0, "node 2's queue drains");
                }
                expectInOrder(b, n, 1);
                PeerStats.View toStalled = a.transport.stats().get(3L);
                assertTrue(toStalled.dropped() > 0, "the stalled peer's queue overflowed: " + toStalled);
                assertEquals(0, a.transport.stats().get(2L).dropped());
                assertTrue(a.transport.queued(3) <= 64);
            }
        }
    }

    @Test
    void removedPeerIsDisconnectedRefusedAndItsSnapshotReportedFailed() throws Exception {
        int downPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            downPort = s.getLocalPort();
        }
        try (LogCapture log = new LogCapture("io.redraft.raft.net");
             TestNode a = new TestNode(1, CLUSTER, null, TestNode.fastConfig()); TestNode b = new TestNode(2, CLUSTER, null, TestNode.fastConfig())) {
            Map<Long, InetSocketAddress> all = Map.of(1L, a.address(), 2L, b.address(), 3L, new InetSocketAddress("127.0.0.1", downPort));
            a.transport.updatePeers(all);
            b.transport.updatePeers(all);
            awaitConnected(a, b);
            // node 3 is down: its snapshot waits in the queue until node 3 is removed
            Message snap = Message.builder(MessageType.SNAPSHOT, 1, 3, 2)
                    .snapshot(new Snapshot(new SnapshotMetadata(9, 2, Membership.ofVoters(1, 2, 3)), new byte[100])).build();
            assertTrue(a.transport.send(snap));
            a.transport.updatePeers(Map.of(1L, a.address()));
            assertEquals(new TestNode.SnapshotResult(3, 9, false), take(a.snapshotResults));
            await(() -> !a.transport.isConnected(2) && !b.transport.isConnected(1), "both directions closed");
            await(() -> log.contains("unknown node id 2"), "node 2 refused on reconnect");
            assertFalse(a.transport.stats().containsKey(2L));
            assertFalse(a.transport.send(append(1, 2, 0)));
            // and back in: node 2 is accepted again
            a.transport.updatePeers(all);
            awaitConnected(a, b);
            b.transport.send(append(2, 1, 0));
            assertEquals(0, take(a.messages).index);
        }
    }
}
