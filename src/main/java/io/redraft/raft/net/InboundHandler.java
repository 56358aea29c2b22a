package io.redraft.raft.net;

import io.netty.channel.ChannelHandlerContext;
import io.redraft.raft.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accepting end of a peer connection: runs the acceptor side of the handshake, then receives
 * Raft messages, snapshot chunks and forwards from that one peer and passes them up. Nothing is sent
 * back on this connection after the handshake: replies travel on our own outbound connection.
 */
final class InboundHandler extends FrameHandler {
    private static final Logger log = LoggerFactory.getLogger(InboundHandler.class);

    private enum State { AWAIT_HELLO, AWAIT_PROOF, READY }

    private State state = State.AWAIT_HELLO;
    private PeerFrame.Hello hello;
    private byte[] nonce;
    private long peer;
    private PeerStats stats;
    private SnapshotAssembler snapshot;

    InboundHandler(PeerTransport transport) {
        super(transport, log);
    }

    @Override
    protected String describe(ChannelHandlerContext ctx) {
        return "from " + ctx.channel().remoteAddress() + (hello != null ? " (node " + hello.from() + ")" : "");
    }

    @Override
    protected String peerKey(ChannelHandlerContext ctx) {
        java.net.SocketAddress a = ctx.channel().remoteAddress();
        String host = a instanceof java.net.InetSocketAddress i ? i.getHostString() : String.valueOf(a);
        return "in:" + host + (hello != null ? ":" + hello.from() : "");
    }

    @Override
    protected void onFrame(ChannelHandlerContext ctx, PeerFrame frame, int wireBytes) {
        switch (state) {
            case AWAIT_HELLO -> {
                if (!(frame instanceof PeerFrame.Hello h)) throw new PeerProtocolException("expected HELLO, got " + frame.getClass().getSimpleName());
                hello = h;
                String refusal = transport.checkHello(h);
                if (refusal != null) {
                    refuse(ctx, refusal);
                    return;
                }
                nonce = HandshakeAuth.nonce();
                byte[] proof = transport.auth.proof(HandshakeAuth.Role.ACCEPTOR, transport.clusterId, h.from(), transport.localId, h.nonce(), nonce);
                write(ctx, new PeerFrame.Hello(transport.clusterId, transport.localId, h.from(), nonce, proof));
                state = State.AWAIT_PROOF;
            }
            case AWAIT_PROOF -> {
                if (!(frame instanceof PeerFrame.Proof p)) throw new PeerProtocolException("expected PROOF, got " + frame.getClass().getSimpleName());
                if (!transport.auth.verify(p.mac(), HandshakeAuth.Role.INITIATOR, transport.clusterId, hello.from(), transport.localId, hello.nonce(), nonce)) {
                    refuse(ctx, proofFailure(transport.auth, p.mac()));
                    return;
                }
                handshakeDone();
                peer = hello.from();
                stats = transport.statsFor(peer);
                snapshot = new SnapshotAssembler(transport.config.maxSnapshotBytes());
                transport.inboundReady(ctx.channel(), peer);
                write(ctx, new PeerFrame.Welcome());
                state = State.READY;
                log.debug("accepted peer connection {}", describe(ctx));
            }
            case READY -> receive(frame, wireBytes);
        }
    }

    private void receive(PeerFrame frame, int wireBytes) {
        stats.bytesReceived.addAndGet(wireBytes);
        if (frame instanceof PeerFrame.Raft r) {
            Message m = r.message();
            if (m.from != peer || m.to != transport.localId)
                throw new PeerProtocolException("message " + m.from + "->" + m.to + " on the connection from node " + peer);
            if (r.chunkedSnapshotBytes() >= 0) {
                byte[] data = snapshot.take(m.snapshot.metadata().index(), m.snapshot.metadata().term(), r.chunkedSnapshotBytes());
                m = PeerFrameCodec.withSnapshotData(m, data);
            }
            stats.messagesReceived.incrementAndGet();
            Message delivered = m;
            transport.deliver(() -> transport.listener.onMessage(delivered));
        } else if (frame instanceof PeerFrame.SnapshotChunk c) {
            snapshot.accept(c);
        } else if (frame instanceof PeerFrame.ForwardRequest f) {
            stats.messagesReceived.incrementAndGet();
            transport.deliver(() -> transport.listener.onForwardRequest(peer, f.requestId(), f.sessionId(), f.db(), f.argv()));
        } else if (frame instanceof PeerFrame.ForwardReply f) {
            stats.messagesReceived.incrementAndGet();
            transport.deliver(() -> transport.listener.onForwardReply(peer, f.requestId(), f.reply()));
        } else {
            throw new PeerProtocolException("unexpected " + frame.getClass().getSimpleName() + " after handshake");
        }
    }
}
