package io.redraft.raft.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;

/**
 * Common base of the two ends of a peer connection: decodes frames (closing the connection on any
 * protocol error, with a log line, instead of letting it reach anything else), enforces the handshake
 * timeout, and refuses handshakes politely.
 */
abstract class FrameHandler extends ChannelInboundHandlerAdapter {
    protected final PeerTransport transport;
    private final Logger log;
    private ScheduledFuture<?> handshakeTimer;
    private boolean handshakeDone;
    private boolean refused;

    FrameHandler(PeerTransport transport, Logger log) {
        this.transport = transport;
        this.log = log;
    }

    /** The frame splitter that goes in front of this handler: 4-byte length, bounded by the config. */
    static LengthFieldBasedFrameDecoder splitter(PeerConfig config) {
        return new LengthFieldBasedFrameDecoder(config.maxFrameBytes(), 0, 4, 0, 4, true);
    }

    /** Short description of the other end for log lines. */
    protected abstract String describe(ChannelHandlerContext ctx);

    /** Identifies the other end across reconnects (no ephemeral port), for rate-limiting refusal logs. */
    protected abstract String peerKey(ChannelHandlerContext ctx);

    protected abstract void onFrame(ChannelHandlerContext ctx, PeerFrame frame, int wireBytes);

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        handshakeTimer = ctx.executor().schedule(() -> {
            if (!handshakeDone && ctx.channel().isActive()) {
                log.warn("closing peer connection {}: no handshake within {} ms", describe(ctx), transport.config.handshakeTimeoutMs());
                ctx.close();
            }
        }, transport.config.handshakeTimeoutMs(), TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (handshakeTimer != null) handshakeTimer.cancel(false);
        super.channelInactive(ctx);
    }

    protected void handshakeDone() {
        handshakeDone = true;
        if (handshakeTimer != null) handshakeTimer.cancel(false);
    }

    protected boolean isHandshakeDone() {
        return handshakeDone;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            if (refused || !ctx.channel().isActive()) return; // closing after an earlier frame of the same read
            int wireBytes = buf.readableBytes() + 4;
            PeerFrame frame = PeerFrameCodec.decode(buf.nioBuffer());
            if (frame instanceof PeerFrame.Refused r) {
                transport.logRefusal(describe(ctx), peerKey(ctx), "refused by the peer: " + r.reason());
                ctx.close();
                return;
            }
            onFrame(ctx, frame, wireBytes);
        } finally {
            ReferenceCountUtil.release(buf);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Garbled or oversized input, or an I/O error: this connection only is lost; the other side reconnects.
        Throwable c = cause.getCause() instanceof PeerProtocolException ? cause.getCause() : cause;
        log.warn("closing peer connection {}: {}", describe(ctx), c.toString());
        ctx.close();
    }

    /** Tells the other side why, logs it, and closes. */
    protected void refuse(ChannelHandlerContext ctx, String reason) {
        refused = true;
        transport.logRefusal(describe(ctx), peerKey(ctx), reason);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(PeerFrameCodec.encode(new PeerFrame.Refused(reason))))
                .addListener(ChannelFutureListener.CLOSE);
    }

    protected static void write(ChannelHandlerContext ctx, PeerFrame frame) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(PeerFrameCodec.encode(frame)));
    }

    /** Why a proof did not verify, in words an operator can act on. */
    protected static String proofFailure(HandshakeAuth auth, byte[] proof) {
        if (!auth.enabled()) return "the peer uses a cluster password and this node has none";
        if (proof.length == 0) return "the peer has no cluster password set";
        return "wrong cluster password";
    }
}
