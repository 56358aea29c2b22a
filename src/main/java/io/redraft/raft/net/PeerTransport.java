package io.redraft.raft.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.redraft.raft.Message;
import io.redraft.raft.MessageType;
import io.redraft.transport.NettyTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The peer port: a Netty server accepting connections from the other nodes of the cluster, and one
 * outbound connection per peer ({@link PeerLink}) for everything we send to it. Runs on its own event
 * loop group so client load on the client port cannot delay heartbeats.
 *
 * <p>Each direction between two nodes has its own connection: A's messages to B travel on the
 * connection A opened, B's replies on the one B opened. Both start with the handshake
 * ({@link OutboundHandler} / {@link InboundHandler}, {@link HandshakeAuth}).
 *
 * <p>All send methods are non-blocking and callable from any thread; they return false when the
 * frame was not queued (unknown peer, too large, queue full of frames that may not be dropped).
 * Listener callbacks run on the transport's event loop.
 */
public final class PeerTransport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerTransport.class);
    private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(60);

    final long localId;
    final String clusterId;
    final HandshakeAuth auth;
    final PeerListener listener;
    final PeerConfig config;

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Bootstrap clientTemplate;
    private final Map<Long, PeerLink> links = new ConcurrentHashMap<>();
    private final Map<Long, PeerStats> stats = new ConcurrentHashMap<>();
    private final Map<Channel, Long> inbound = new ConcurrentHashMap<>();
    private final Map<String, Long> refusalsLogged = new ConcurrentHashMap<>();
    private volatile Map<Long, InetSocketAddress> peers;
    private Channel serverChannel;
    private boolean started;

    public PeerTransport(long localId, String clusterId, String password, Map<Long, InetSocketAddress> peers, PeerListener listener) {
        this(localId, clusterId, password, peers, listener, PeerConfig.defaults());
    }

    /**
     * @param peers    every member's peer address (our own entry, if present, is ignored); connections
     *                 are accepted only from these ids
     * @param password cluster password, or null/empty for a plain handshake
     */
    public PeerTransport(long localId, String clusterId, String password, Map<Long, InetSocketAddress> peers,
                         PeerListener listener, PeerConfig config) {
        this(localId, clusterId, password, peers, listener, config, null);
    }

    /**
     * @param loop the event loop to serve the peer port on (the Raft driver's own, so that a message
     *             is stepped and answered with no thread hand-off), or null for loops of its own
     *             ({@link PeerConfig#ioThreads}); a given loop is its owner's to shut down
     */
    public PeerTransport(long localId, String clusterId, String password, Map<Long, InetSocketAddress> peers,
                         PeerListener listener, PeerConfig config, EventLoopGroup loop) {
        if (localId <= 0) throw new IllegalArgumentException("node id must be positive");
        this.localId = localId;
        this.clusterId = clusterId;
        this.auth = new HandshakeAuth(password);
        this.listener = listener;
        this.config = config;
        this.peers = Map.copyOf(peers);
        this.ownsGroup = loop == null;
        this.group = ownsGroup ? NettyTransport.group(config.ioThreads(), "raft-peer-io") : loop;
        this.clientTemplate = new Bootstrap()
                .channel(NettyTransport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.handshakeTimeoutMs()))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024));
    }

    /** Binds the peer port and starts connecting to the peers. @return the bound port (useful with 0) */
    public synchronized int start(String bindHost, int port) throws InterruptedException {
        if (started) throw new IllegalStateException("already started");
        started = true;
        ServerBootstrap b = new ServerBootstrap()
                .group(group, group)
                .channel(NettyTransport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.closeFuture().addListener(f -> inbound.remove(ch));
                        ch.pipeline().addLast(FrameHandler.splitter(config), new InboundHandler(PeerTransport.this));
                    }
                });
        serverChannel = b.bind(new InetSocketAddress(bindHost, port)).sync().channel();
        for (Map.Entry<Long, InetSocketAddress> e : peers.entrySet()) addLink(e.getKey(), e.getValue());
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    private void addLink(long id, InetSocketAddress address) {
        if (id == localId) return;
        PeerLink link = new PeerLink(id, address, this, group.next(), clientTemplate, statsFor(id));
        links.put(id, link);
        link.start();
    }

    /**
     * Membership changed: connect to new peers, drop removed ones (their queued frames and inbound
     * connections too), follow moved ones.
     */
    public synchronized void updatePeers(Map<Long, InetSocketAddress> newPeers) {
        peers = Map.copyOf(newPeers);
        if (!started) return;
        for (Map.Entry<Long, InetSocketAddress> e : newPeers.entrySet()) {
            PeerLink link = links.get(e.getKey());
            if (link != null) link.updateAddress(e.getValue());
            else addLink(e.getKey(), e.getValue());
        }
        for (Long id : List.copyOf(links.keySet())) {
            if (!newPeers.containsKey(id)) {
                links.remove(id).close();
                stats.remove(id);
            }
        }
        inbound.forEach((ch, id) -> {
            if (!newPeers.containsKey(id)) ch.close();
        });
    }

    /**
     * Queues a Raft message for {@code m.to}. A SNAPSHOT goes out as chunks of its data followed by
     * the message; other messages may be evicted by a full queue (Raft retransmits).
     */
    public boolean send(Message m) {
        if (m.type == MessageType.SNAPSHOT && m.snapshot != null) {
            try {
                return sendTransfer(m.to, new SnapshotTransfer(m, SnapshotTransfer.of(m.snapshot.data())));
            } catch (IOException e) {
                throw new AssertionError(e); // an in-memory source does not fail
            }
        }
        return sendFrame(m.to, PeerFrameCodec.encodeMessage(m, -1), true, m.type.name());
    }

    /** Sends the SNAPSHOT message {@code m} with its data read, chunk by chunk, from {@code file}. */
    public boolean sendSnapshot(Message m, Path file) throws IOException {
        if (m.type != MessageType.SNAPSHOT || m.snapshot == null) throw new IllegalArgumentException("not a SNAPSHOT message: " + m);
        return sendTransfer(m.to, new SnapshotTransfer(m, SnapshotTransfer.of(file)));
    }

    private boolean sendTransfer(long to, SnapshotTransfer t) {
        PeerLink link = links.get(to);
        if (link == null || t.total() > config.maxSnapshotBytes() || !link.enqueue(t)) {
            if (link == null) log.debug("snapshot for unknown peer {} dropped", to);
            else if (t.total() > config.maxSnapshotBytes()) log.warn("snapshot of {} bytes for node {} exceeds the limit of {}", t.total(), to, config.maxSnapshotBytes());
            t.close();
            return false;
        }
        return true;
    }

    /** Forwards a client command to {@code to} (the leader). Not evicted by a full queue. */
    public boolean sendForward(long to, long requestId, long sessionId, int db, List<byte[]> argv) {
        return sendFrame(to, PeerFrameCodec.encode(new PeerFrame.ForwardRequest(requestId, sessionId, db, argv)), false, "forward");
    }

    /** Answers forwarded request {@code requestId} of node {@code to} with raw RESP bytes. */
    public boolean sendForwardReply(long to, long requestId, byte[] reply) {
        return sendFrame(to, PeerFrameCodec.encode(new PeerFrame.ForwardReply(requestId, reply)), false, "forward reply");
    }

    private boolean sendFrame(long to, byte[] frame, boolean droppable, String what) {
        PeerLink link = links.get(to);
        if (link == null) {
            log.debug("{} for unknown peer {} dropped", what, to);
            return false;
        }
        if (frame.length - 4 > config.maxFrameBytes()) {
            link.stats.dropped.incrementAndGet();
            log.warn("{} to node {} dropped: frame of {} bytes exceeds the peer frame limit of {}", what, to, frame.length - 4, config.maxFrameBytes());
            return false;
        }
        return link.enqueue(new Outbound.Frame(frame, droppable, true));
    }

    /** Per-peer counters, by node id. */
    public Map<Long, PeerStats.View> stats() {
        Map<Long, PeerStats.View> out = new TreeMap<>();
        stats.forEach((id, s) -> out.put(id, s.view()));
        return out;
    }

    /** Whether our outbound connection to {@code peer} is up (through its handshake). */
    public boolean isConnected(long peer) {
        PeerStats s = stats.get(peer);
        return s != null && s.connected;
    }

    /** Frames waiting in {@code peer}'s queue. */
    public int queued(long peer) {
        PeerLink link = links.get(peer);
        return link == null ? 0 : link.queued();
    }

    public boolean usesEpoll() {
        return NettyTransport.epoll();
    }

    @Override
    public synchronized void close() {
        links.values().forEach(PeerLink::close);
        links.clear();
        if (serverChannel != null) serverChannel.close().syncUninterruptibly();
        inbound.keySet().forEach(Channel::close);
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    // ---------------------------------------------------------------- for the handlers and links

    PeerStats statsFor(long peer) {
        return stats.computeIfAbsent(peer, k -> new PeerStats());
    }

    /** Acceptor-side checks of an opening HELLO; null when fine, else the reason for refusing. */
    String checkHello(PeerFrame.Hello h) {
        if (!h.clusterId().equals(clusterId)) return "wrong cluster id '" + h.clusterId() + "' (this cluster is '" + clusterId + "')";
        if (h.to() != localId) return "this is node " + localId + ", not node " + h.to();
        if (h.from() == localId || !peers.containsKey(h.from())) return "unknown node id " + h.from();
        return null;
    }

    void inboundReady(Channel ch, long peer) {
        // A peer has one outbound connection to us: an older one from it is dead or half-open
        // (the peer reconnected), so close it rather than let it linger or interleave.
        inbound.forEach((other, id) -> {
            if (id == peer && other != ch) other.close();
        });
        inbound.put(ch, peer);
        if (!peers.containsKey(peer)) ch.close(); // removed while handshaking
    }

    void snapshotSent(long to, long index, boolean ok) {
        if (!ok) log.info("snapshot {} to node {} not delivered", index, to);
        deliver(() -> listener.onSnapshotSent(to, index, ok));
    }

    /** Runs a listener callback; a failing listener is logged and never takes a connection down. */
    void deliver(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.error("peer listener failed", e);
        }
    }

    /**
     * Logs a refused handshake at WARN, but the same refusal (same peer and reason) at most once a
     * minute: a misconfigured peer retries every couple of seconds and must not flood the log.
     */
    void logRefusal(String connection, String peerKey, String reason) {
        String key = peerKey + "|" + reason;
        long now = System.nanoTime();
        Long last = refusalsLogged.get(key);
        if (last == null || now - last > REFUSAL_LOG_INTERVAL_NANOS) {
            refusalsLogged.put(key, now);
            log.warn("peer handshake refused, connection {}: {}", connection, reason);
        } else {
            log.debug("peer handshake refused, connection {}: {}", connection, reason);
        }
    }
}
