package io.redraft.cluster;

import io.redraft.raft.Message;

import java.util.Map;

/**
 * What the Raft driver needs from the peer port. Sends never block and may be lost (Raft
 * tolerates loss; the driver times out what waits for an answer). Inbound traffic is handed to
 * the driver's {@code on…} methods.
 */
public interface PeerNetwork {
    /** A node with no peers: a group of one voter sends nothing. */
    PeerNetwork NONE = new PeerNetwork() {
        @Override public void send(Message m) { }
        @Override public void forwardProposal(long leader, long requestId, byte[] data) { }
        @Override public void answerProposal(long to, long requestId, long index, long term, String error) { }
        @Override public void updatePeers(Map<Long, String> addresses) { }
    };

    /** A Raft message for m.to (a SNAPSHOT message carries the whole state-machine snapshot). */
    void send(Message m);

    /** Follower to leader: propose this entry for me and tell me where it went. */
    void forwardProposal(long leader, long requestId, byte[] data);

    /** Leader to follower: the forwarded proposal is at (index, term), or failed with error. */
    void answerProposal(long to, long requestId, long index, long term, String error);

    /** The nodes to stay connected to, by id, with their host:port; the others are dropped. */
    void updatePeers(Map<Long, String> addresses);

    /**
     * Whether this node's connection to node id is through the handshake (both proved the cluster
     * id and password). Without a peer port nothing is known against it: true.
     */
    default boolean handshakeDone(long id) {
        return true;
    }
}
