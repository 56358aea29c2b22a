package io.redraft.raft.net;

import io.redraft.raft.Message;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** A PeerTransport on 127.0.0.1 with a listener that records everything it is told. */
final class TestNode implements PeerListener, AutoCloseable {
    record Forward(long from, long requestId, long sessionId, int db, List<byte[]> argv) { }

    record Reply(long from, long requestId, byte[] reply) { }

    record SnapshotResult(long to, long index, boolean ok) { }

    static PeerConfig fastConfig() {
        return PeerConfig.defaults().withReconnect(10, 200).withHandshakeTimeoutMs(3000);
    }

    final long id;
    final PeerTransport transport;
    final int port;
    final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<Forward> forwards = new LinkedBlockingQueue<>();
    final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    final BlockingQueue<SnapshotResult> snapshotResults = new LinkedBlockingQueue<>();
    final Map<Long, Integer> connects = new ConcurrentHashMap<>();

    TestNode(long id, String cluster, String password, PeerConfig config) throws InterruptedException {
        this(id, cluster, password, config, 0);
    }

    TestNode(long id, String cluster, String password, PeerConfig config, int port) throws InterruptedException {
        this.id = id;
        this.transport = new PeerTransport(id, cluster, password, Map.of(), this, config);
        this.port = transport.start("127.0.0.1", port);
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** Makes every node a peer of every other. */
    static void mesh(TestNode... nodes) {
        Map<Long, InetSocketAddress> peers = new HashMap<>();
        for (TestNode n : nodes) peers.put(n.id, n.address());
        for (TestNode n : nodes) n.transport.updatePeers(peers);
    }

    static void awaitConnected(TestNode... nodes) {
        await(() -> {
            for (TestNode a : nodes) for (TestNode b : nodes) if (a != b && !a.transport.isConnected(b.id)) return false;
            return true;
        }, "all nodes connected");
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    static <T> T take(BlockingQueue<T> q) throws InterruptedException {
        T t = q.poll(20, TimeUnit.SECONDS);
        assertNotNull(t, "timed out waiting for a delivery");
        return t;
    }

    @Override public void onMessage(Message m) { messages.add(m); }

    @Override public void onForwardRequest(long from, long requestId, long sessionId, int db, List<byte[]> argv) {
        forwards.add(new Forward(from, requestId, sessionId, db, argv));
    }

    @Override public void onForwardReply(long from, long requestId, byte[] reply) { replies.add(new Reply(from, requestId, reply)); }

    @Override public void onPeerConnected(long peer) { connects.merge(peer, 1, Integer::sum); }

    @Override public void onSnapshotSent(long to, long index, boolean ok) { snapshotResults.add(new SnapshotResult(to, index, ok)); }

    @Override
    public void close() {
        transport.close();
    }
}
