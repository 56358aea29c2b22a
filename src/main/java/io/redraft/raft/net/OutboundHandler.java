package io.redraft.raft.net;

import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connecting end of a peer connection: runs the initiator side of the handshake for its
 * {@link PeerLink}, then only watches writability; a peer never sends anything on our connection
 * after WELCOME.
 */
final class OutboundHandler extends FrameHandler {
    private static final Logger log = LoggerFactory.getLogger(OutboundHandler.class);

    private enum State { AWAIT_HELLO, AWAIT_WELCOME, READY }

    private final PeerLink link;
    private State state = State.AWAIT_HELLO;
    private byte[] nonce;

    OutboundHandler(PeerTransport transport, PeerLink link) {
        super(transport, log);
        this.link = link;
    }

    @Override
    protected String describe(ChannelHandlerContext ctx) {
        return "to node " + link.id + " at " + ctx.channel().remoteAddress();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        nonce = HandshakeAuth.nonce();
        write(ctx, new PeerFrame.Hello(transport.clusterId, transport.localId, link.id, nonce, new byte[0]));
    }

    @Override
    protected String peerKey(ChannelHandlerContext ctx) {
        return "out:" + link.id;
    }

    @Override
    protected void onFrame(ChannelHandlerContext ctx, PeerFrame frame, int wireBytes) {
        switch (state) {
            case AWAIT_HELLO -> {
                if (!(frame instanceof PeerFrame.Hello h)) throw new PeerProtocolException("expected HELLO, got " + frame.getClass().getSimpleName());
                if (!h.clusterId().equals(transport.clusterId)) {
                    refuse(ctx, "wrong cluster id '" + h.clusterId() + "' (this cluster is '" + transport.clusterId + "')");
                } else if (h.from() != link.id || h.to() != transport.localId) {
                    refuse(ctx, "expected node " + link.id + " answering node " + transport.localId + ", got node " + h.from() + " answering node " + h.to());
                } else if (!transport.auth.verify(h.proof(), HandshakeAuth.Role.ACCEPTOR, transport.clusterId, transport.localId, link.id, nonce, h.nonce())) {
                    refuse(ctx, proofFailure(transport.auth, h.proof()));
                } else {
                    write(ctx, new PeerFrame.Proof(transport.auth.proof(HandshakeAuth.Role.INITIATOR, transport.clusterId, transport.localId, link.id, nonce, h.nonce())));
                    state = State.AWAIT_WELCOME;
                }
            }
            case AWAIT_WELCOME -> {
                if (!(frame instanceof PeerFrame.Welcome)) throw new PeerProtocolException("expected WELCOME, got " + frame.getClass().getSimpleName());
                handshakeDone();
                state = State.READY;
                link.onReady(ctx.channel());
            }
            case READY -> throw new PeerProtocolException("unexpected " + frame.getClass().getSimpleName() + " on an outbound connection");
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) link.drain();
        super.channelWritabilityChanged(ctx);
    }
}
