package io.redraft.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.redraft.cluster.CommandExecutor;
import io.redraft.server.ClientSession;
import io.redraft.server.ServerContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The event-loop side of one client connection: gathers the commands decoded from one read
 * batch and hands them to the keyspace thread in one task; stops reading while the client does
 * not read its replies (backpressure), and closes idle clients.
 */
public final class ClientChannelHandler extends ChannelInboundHandlerAdapter {
    private final ServerContext server;
    private final CommandExecutor executor;
    private final ClientSession session;
    private List<Object> batch = new ArrayList<>();

    /** Created in the channel initializer, so the decoder can consult the session (AUTH state). */
    public ClientChannelHandler(ServerContext server, Channel channel) {
        this.server = server;
        this.executor = server.executor();
        this.session = new ClientSession(server.clients().nextId(), channel, System.currentTimeMillis());
        session.authenticated(server.config().get("requirepass").isEmpty());
    }

    public ClientSession session() {
        return session;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        server.clients().add(session);
        server.stats().totalConnections.incrementAndGet();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        batch.add(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!batch.isEmpty()) {
            List<Object> b = batch;
            // On the keyspace loop the batch is run before submit returns, so the list is reused;
            // handed to another thread, it is that thread's and this connection takes a new one.
            boolean handedOver = !executor.thread().inEventLoop();
            if (handedOver) {
                batch = new ArrayList<>(Math.max(4, b.size()));
            }
            if (session.enqueued(b.size()) >= ClientSession.MAX_QUEUED_COMMANDS) {
                session.updateReading(); // too many commands waiting: stop reading until they run
            }
            executor.submit(session, b);
            if (!handedOver) {
                b.clear();
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // While the client does not read its replies, stop reading its requests.
        session.updateReading();
        if (ctx.channel().isWritable()) {
            executor.writable(session);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        server.clients().remove(session);
        executor.thread().execute(() -> server.sessionClosed(session));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // Redis's "timeout": idle clients are closed without a reply, except a client
            // blocked in BLPOP… (its wait is not idleness).
            if (session.blockedOn() == 0) {
                ctx.close();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            org.slf4j.LoggerFactory.getLogger(ClientChannelHandler.class).warn("client {} error", session.addr(), cause);
        }
        ctx.close();
    }

    /** Counts bytes read, for INFO stats (the decoder sits after this in the pipeline). */
    public static final class InputCounter extends ChannelInboundHandlerAdapter {
        private final ServerContext server;

        public InputCounter(ServerContext server) {
            this.server = server;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) {
                server.stats().netInputBytes.add(b.readableBytes());
            }
            ctx.fireChannelRead(msg);
        }
    }
}
