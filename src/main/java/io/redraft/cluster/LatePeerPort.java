package io.redraft.cluster;

import io.netty.channel.EventLoopGroup;
import io.redraft.raft.Message;

import java.util.Map;

/**
 * The peer network of a node started without raft-peers or raft-join: nothing until the node
 * becomes part of a cluster (RAFT.CLUSTER INIT, or, after a restart, when the applied address
 * book lists it), then a {@link PeerPort} opened at this node's address in the book. Until it
 * opens, sends go nowhere (a group of one voter sends nothing anyway) and the peer list the
 * driver asks for is kept for the opening.
 */
public final class LatePeerPort implements PeerNetwork, AutoCloseable {
    private final EventLoopGroup loop;
    private final long nodeId;
    private final String clusterId;
    private final String password;
    private final String bindHost;
    private volatile PeerPort port;
    private Map<Long, String> peers = Map.of();
    private boolean closed;

    public LatePeerPort(long nodeId, String clusterId, String password, String bindHost, EventLoopGroup loop) {
        this.loop = loop;
        this.nodeId = nodeId;
        this.clusterId = clusterId;
        this.password = password;
        this.bindHost = bindHost;
    }

    public boolean isOpen() {
        return port != null;
    }

    /**
     * Opens the peer port on bindHost at address's port, inbound traffic going to driver. No
     * effect if it is open already. Throws if the port cannot be bound.
     */
    public synchronized void open(RaftDriver driver, String address) throws InterruptedException {
        if (port != null || closed) {
            return;
        }
        Map<Long, String> known = new java.util.HashMap<>(peers);
        known.put(nodeId, address);
        PeerPort p = new PeerPort(nodeId, clusterId, password, Map.of(), loop);
        try {
            p.start(driver, bindHost, RaftPeers.parse(nodeId + "@" + address).get(nodeId).getPort());
        } catch (RuntimeException | InterruptedException e) {
            p.close();
            throw e;
        }
        p.updatePeers(known);
        port = p;
    }

    /** The open port, or nothing yet (a group of one voter sends nothing anyway). */
    private PeerNetwork current() {
        PeerPort p = port;
        return p != null ? p : PeerNetwork.NONE;
    }

    @Override
    public void send(Message m) {
        current().send(m);
    }

    @Override
    public void forwardProposal(long leader, long requestId, byte[] data) {
        current().forwardProposal(leader, requestId, data);
    }

    @Override
    public void answerProposal(long to, long requestId, long index, long term, String error) {
        current().answerProposal(to, requestId, index, term, error);
    }

    /** Once open, the port's answer: a joiner with the wrong password stays out of a cluster formed at run time too. */
    @Override
    public boolean handshakeDone(long id) {
        return current().handshakeDone(id);
    }

    @Override
    public synchronized void updatePeers(Map<Long, String> addresses) {
        peers = Map.copyOf(addresses);
        if (port != null) {
            port.updatePeers(addresses);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (port != null) {
            port.close();
        }
    }
}
