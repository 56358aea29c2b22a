package io.redraft.raft.net;

import io.redraft.raft.Message;

import java.util.List;

/**
 * Everything that travels on the peer port, decoded. {@link PeerFrameCodec} maps each to one wire
 * frame: {@code [int32 length][u8 version][u8 type][payload]}.
 */
public sealed interface PeerFrame {

    /**
     * Handshake opener, sent first by each side (the acceptor's reply carries its proof).
     *
     * @param from   sender's node id
     * @param to     the node id the sender believes it is talking to
     * @param nonce  fresh random challenge
     * @param proof  empty without a cluster password; else the acceptor's HMAC (see {@link HandshakeAuth})
     */
    record Hello(String clusterId, long from, long to, byte[] nonce, byte[] proof) implements PeerFrame { }

    /** The initiator's answer to the acceptor's challenge (empty without a password). */
    record Proof(byte[] mac) implements PeerFrame { }

    /** Acceptor: handshake complete, send away. */
    record Welcome() implements PeerFrame { }

    /** Either side: handshake refused (the sender closes the connection after it). */
    record Refused(String reason) implements PeerFrame { }

    /**
     * A Raft message. For SNAPSHOT whose data came in chunks, {@code message.snapshot.data} is empty
     * and {@code chunkedSnapshotBytes} is the reassembled length the receiver must attach; -1 otherwise.
     */
    record Raft(Message message, long chunkedSnapshotBytes) implements PeerFrame {
        public Raft(Message message) { this(message, -1); }
    }

    /** One piece of snapshot {@code index/term}'s data: bytes [offset, offset+data.length) of {@code total}. */
    record SnapshotChunk(long index, long term, long offset, long total, byte[] data, boolean last) implements PeerFrame { }

    /** Follower → leader: run this client command for session {@code sessionId} in database {@code db}. */
    record ForwardRequest(long requestId, long sessionId, int db, List<byte[]> argv) implements PeerFrame { }

    /** Leader → follower: the raw RESP reply to forwarded request {@code requestId}. */
    record ForwardReply(long requestId, byte[] reply) implements PeerFrame { }
}
