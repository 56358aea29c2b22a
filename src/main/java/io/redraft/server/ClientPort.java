package io.redraft.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.redraft.resp.ClientChannelHandler;
import io.redraft.resp.RespDecoder;
import io.redraft.resp.RespLimits;
import io.redraft.transport.NettyTransport;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client port: Netty (epoll where available, NIO otherwise) serving RESP to ordinary
 * Redis clients, with maxclients, idle timeout and output backpressure.
 *
 * <p>With {@code io-threads 1} (the default, as in Redis) connections live on the keyspace
 * thread's own event loop: a read batch is decoded, run and answered on one thread with no
 * hand-off, which is what a small machine serves fastest. With more, decoding and socket writes
 * move to that many separate loops and each batch is handed to the keyspace thread.
 */
public final class ClientPort {
    private static final byte[] MAX_CLIENTS = "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerContext server;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final boolean ownsWorkers;
    private final AtomicInteger connected = new AtomicInteger();
    /** Open connections, closed with the port (a shared loop outlives it). */
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile RespLimits limits;
    private Channel serverChannel;

    /** @param keyspaceLoop the keyspace thread's loop, where connections live with io-threads 1 */
    public ClientPort(ServerContext server, EventLoopGroup keyspaceLoop) {
        this.server = server;
        ServerConfig config = server.config();
        int ioThreads = config.getInt("io-threads");
        this.boss = NettyTransport.group(1, "client-accept");
        this.ownsWorkers = ioThreads > 1;
        this.workers = ownsWorkers ? NettyTransport.group(ioThreads, "client-io") : keyspaceLoop;
        updateLimits();
        config.parameter("proto-max-bulk-len").onChange(v -> updateLimits());
        config.parameter("client-query-buffer-limit").onChange(v -> updateLimits());
    }

    private void updateLimits() {
        ServerConfig c = server.config();
        limits = new RespLimits(c.getLong("proto-max-bulk-len"), c.getLong("client-query-buffer-limit"));
    }

    public int bind(String host, int port) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NettyTransport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, server.config().getInt("tcp-backlog"))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, server.config().getInt("tcp-keepalive") > 0)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (connected.incrementAndGet() > server.config().getInt("maxclients")) {
                            connected.decrementAndGet();
                            server.stats().rejectedConnections.incrementAndGet();
                            ch.writeAndFlush(Unpooled.wrappedBuffer(MAX_CLIENTS)).addListener(ChannelFutureListener.CLOSE);
                            return;
                        }
                        ch.closeFuture().addListener(f -> connected.decrementAndGet());
                        channels.add(ch);
                        ch.pipeline().addLast(new FlushConsolidationHandler(256, true));
                        int timeout = server.config().getInt("timeout");
                        if (timeout > 0) {
                            ch.pipeline().addLast(new IdleStateHandler(0, 0, timeout, TimeUnit.SECONDS));
                        }
                        ch.pipeline().addLast(new ClientChannelHandler.InputCounter(server));
                        ClientChannelHandler handler = new ClientChannelHandler(server, ch);
                        ClientSession session = handler.session();
                        ch.pipeline().addLast(new RespDecoder(() -> limits, session::unauthenticated));
                        ch.pipeline().addLast(handler);
                    }
                });
        serverChannel = b.bind(new InetSocketAddress(host, port)).sync().channel();
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public int connectedClients() {
        return connected.get();
    }

    public boolean usesEpoll() {
        return NettyTransport.epoll();
    }

    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (ownsWorkers) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

}
