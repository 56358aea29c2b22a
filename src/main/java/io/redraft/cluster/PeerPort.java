package io.redraft.cluster;

import io.netty.channel.EventLoopGroup;
import io.redraft.raft.Message;
import io.redraft.raft.net.PeerConfig;
import io.redraft.raft.net.PeerListener;
import io.redraft.raft.net.PeerTransport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The Raft driver's {@link PeerNetwork} on the peer port ({@link PeerTransport}). A forwarded
 * write travels as the entry bytes the follower would have proposed; the leader answers with the
 * (index, term) it gave the entry, and the follower's own state machine produces the client's
 * reply when it applies that index, so the reply needs no relaying and the follower keeps the
 * connection's state (database, MULTI, WATCH) itself.
 */
public final class PeerPort implements PeerNetwork, PeerListener, AutoCloseable {
    private final PeerTransport transport;
    private volatile RaftDriver driver;

    /** @param loop the Raft driver's event loop, which serves the peer port too */
    public PeerPort(long nodeId, String clusterId, String password, Map<Long, InetSocketAddress> peers,
                    EventLoopGroup loop) {
        this.transport = new PeerTransport(nodeId, clusterId, password, peers, this, PeerConfig.defaults(), loop);
    }

    /** Binds the peer port; inbound traffic goes to driver from now on. */
    public int start(RaftDriver driver, String bindHost, int port) throws InterruptedException {
        this.driver = driver;
        return transport.start(bindHost, port);
    }

    @Override
    public void updatePeers(Map<Long, String> book) {
        Map<Long, InetSocketAddress> peers = new java.util.HashMap<>();
        book.forEach((id, a) -> peers.putAll(RaftPeers.parse(id + "@" + a)));
        transport.updatePeers(peers);
    }

    @Override
    public boolean handshakeDone(long id) {
        return transport.isConnected(id);
    }

    public PeerTransport transport() {
        return transport;
    }

    @Override
    public void send(Message m) {
        transport.send(m);
    }

    @Override
    public void forwardProposal(long leader, long requestId, byte[] data) {
        transport.sendForward(leader, requestId, 0, 0, List.of(data));
    }

    @Override
    public void answerProposal(long to, long requestId, long index, long term, String error) {
        byte[] err = error == null ? new byte[0] : error.getBytes(StandardCharsets.UTF_8);
        byte[] answer = ByteBuffer.allocate(16 + err.length).putLong(index).putLong(term).put(err).array();
        transport.sendForwardReply(to, requestId, answer);
    }

    @Override
    public void onMessage(Message message) {
        RaftDriver d = driver;
        if (d != null) {
            d.onMessage(message);
        }
    }

    @Override
    public void onForwardRequest(long from, long requestId, long sessionId, int db, List<byte[]> argv) {
        RaftDriver d = driver;
        if (d != null && argv.size() == 1) {
            d.onForwardedProposal(from, requestId, argv.get(0));
        }
    }

    @Override
    public void onForwardReply(long from, long requestId, byte[] reply) {
        RaftDriver d = driver;
        if (d == null || reply.length < 16) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(reply);
        long index = b.getLong();
        long term = b.getLong();
        String error = reply.length == 16 ? null : new String(reply, 16, reply.length - 16, StandardCharsets.UTF_8);
        d.onProposalAnswer(requestId, index, term, error);
    }

    @Override
    public void onSnapshotSent(long to, long index, boolean ok) {
        RaftDriver d = driver;
        if (d != null) {
            d.onSnapshotSent(to, ok);
        }
    }

    @Override
    public void close() {
        transport.close();
    }
}
