package io.redraft.raft.net;

import io.redraft.raft.Message;

import java.util.List;

/**
 * Upcalls from {@link PeerTransport}. They run on the transport's event loop: keep them short and
 * hand work to the Raft driver / keyspace thread.
 */
public interface PeerListener {

    /** A Raft message from a peer; a SNAPSHOT arrives once, with its complete data reassembled. */
    void onMessage(Message message);

    /** Follower {@code from} forwards a client command (answer with {@link PeerTransport#sendForwardReply}). */
    default void onForwardRequest(long from, long requestId, long sessionId, int db, List<byte[]> argv) { }

    /** Leader {@code from} answers forwarded request {@code requestId} with raw RESP bytes. */
    default void onForwardReply(long from, long requestId, byte[] reply) { }

    /** Our outbound connection to {@code peer} finished its handshake; queued frames flow now. */
    default void onPeerConnected(long peer) { }

    /** Our outbound connection to {@code peer} is gone (reconnect is under way unless the peer was removed). */
    default void onPeerDisconnected(long peer) { }

    /**
     * A snapshot transfer to {@code to} ended: {@code ok} when every chunk and the message were written
     * to the socket, false when the connection dropped or the peer was removed first. Feed this to
     * {@code RaftNode.reportSnapshot}.
     */
    default void onSnapshotSent(long to, long index, boolean ok) { }
}
