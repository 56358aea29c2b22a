package io.redraft.raft.net;

/**
 * Tunables of the peer transport. {@link #defaults()} suits a small cluster on a LAN; tests shrink
 * timeouts and sizes with the {@code with...} copies.
 *
 * @param maxFrameBytes       largest frame accepted or sent (length prefix excluded); a bigger one
 *                            closes the connection on receipt and is dropped (and logged) on send
 * @param chunkBytes          snapshot data per InstallSnapshot chunk frame; must fit in a frame
 * @param maxSnapshotBytes    largest snapshot a receiver will reassemble
 * @param maxQueuedFrames     per-peer outbound queue bound (messages, forwards, snapshot transfers)
 * @param handshakeTimeoutMs  a connection not through the handshake by then is closed
 * @param reconnectMinMs      first reconnect delay; doubles per failed attempt ...
 * @param reconnectMaxMs      ... up to this; each delay is jittered down by up to half
 * @param ioThreads           event loop threads of the peer port (separate from the client port's)
 */
public record PeerConfig(int maxFrameBytes, int chunkBytes, long maxSnapshotBytes, int maxQueuedFrames,
                         long handshakeTimeoutMs, long reconnectMinMs, long reconnectMaxMs, int ioThreads) {

    public PeerConfig {
        if (maxFrameBytes < 1024) throw new IllegalArgumentException("maxFrameBytes must be >= 1024");
        if (chunkBytes <= 0 || chunkBytes > maxFrameBytes - 128)
            throw new IllegalArgumentException("chunkBytes must be > 0 and leave room for the chunk header in a frame");
        if (maxSnapshotBytes <= 0 || maxSnapshotBytes > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("maxSnapshotBytes must be in 1.." + (Integer.MAX_VALUE - 8) + " (snapshots are byte arrays)");
        if (maxQueuedFrames <= 0) throw new IllegalArgumentException("maxQueuedFrames must be > 0");
        if (handshakeTimeoutMs <= 0 || reconnectMinMs <= 0 || reconnectMaxMs < reconnectMinMs)
            throw new IllegalArgumentException("timeouts must be positive and reconnectMaxMs >= reconnectMinMs");
        if (ioThreads <= 0) throw new IllegalArgumentException("ioThreads must be > 0");
    }

    public static PeerConfig defaults() {
        return new PeerConfig(64 << 20, 1 << 20, Integer.MAX_VALUE - 8, 4096, 5_000, 50, 2_000, 1);
    }

    public PeerConfig withMaxFrameBytes(int v) {
        return new PeerConfig(v, Math.min(chunkBytes, v - 128), maxSnapshotBytes, maxQueuedFrames, handshakeTimeoutMs, reconnectMinMs, reconnectMaxMs, ioThreads);
    }

    public PeerConfig withChunkBytes(int v) {
        return new PeerConfig(maxFrameBytes, v, maxSnapshotBytes, maxQueuedFrames, handshakeTimeoutMs, reconnectMinMs, reconnectMaxMs, ioThreads);
    }

    public PeerConfig withMaxQueuedFrames(int v) {
        return new PeerConfig(maxFrameBytes, chunkBytes, maxSnapshotBytes, v, handshakeTimeoutMs, reconnectMinMs, reconnectMaxMs, ioThreads);
    }

    public PeerConfig withHandshakeTimeoutMs(long v) {
        return new PeerConfig(maxFrameBytes, chunkBytes, maxSnapshotBytes, maxQueuedFrames, v, reconnectMinMs, reconnectMaxMs, ioThreads);
    }

    public PeerConfig withReconnect(long minMs, long maxMs) {
        return new PeerConfig(maxFrameBytes, chunkBytes, maxSnapshotBytes, maxQueuedFrames, handshakeTimeoutMs, minMs, maxMs, ioThreads);
    }
}
