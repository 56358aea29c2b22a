package io.redraft.raft.net;

/** A frame that cannot be decoded or is not allowed at this point: the connection carrying it is closed. */
public final class PeerProtocolException extends RuntimeException {
    public PeerProtocolException(String message) {
        super(message);
    }
}
