package io.redraft.raft.net;

import java.util.concurrent.atomic.AtomicLong;

/** Per-peer counters of the transport, for INFO raft. Written by event loops and senders, read by anyone. */
public final class PeerStats {
    final AtomicLong bytesSent = new AtomicLong();
    final AtomicLong bytesReceived = new AtomicLong();
    final AtomicLong messagesSent = new AtomicLong();
    final AtomicLong messagesReceived = new AtomicLong();
    /** Frames not sent: evicted or refused by a full queue, too large, or discarded with a removed peer. */
    final AtomicLong dropped = new AtomicLong();
    volatile boolean connected;

    /**
     * A consistent-enough copy. "connected" means our outbound connection to the peer is through its
     * handshake; messages and bytes count Raft messages and forwards (snapshot chunks count as bytes only).
     */
    public record View(boolean connected, long bytesSent, long bytesReceived, long messagesSent,
                       long messagesReceived, long dropped) { }

    public View view() {
        return new View(connected, bytesSent.get(), bytesReceived.get(), messagesSent.get(), messagesReceived.get(), dropped.get());
    }
}
