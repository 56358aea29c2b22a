package io.redraft.raft.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Our single outbound connection to one peer, with its bounded queue. Everything but {@link #enqueue}
 * runs on the link's own event loop, so the connection state needs no locks. The queue is written
 * out only while the channel is writable: a slow or dead peer fills its own queue (which then drops
 * old Raft messages) and never holds up another peer or the caller of send.
 */
final class PeerLink {
    private static final Logger log = LoggerFactory.getLogger(PeerLink.class);

    final long id;
    private final PeerTransport transport;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    final PeerStats stats;
    private final OutboundQueue queue;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    // Event-loop confined.
    private InetSocketAddress address;
    private Channel channel;
    private boolean ready;
    private boolean closed;
    private int failures;
    private ScheduledFuture<?> reconnect;

    PeerLink(long id, InetSocketAddress address, PeerTransport transport, EventLoop loop, Bootstrap template, PeerStats stats) {
        this.id = id;
        this.address = address;
        this.transport = transport;
        this.loop = loop;
        this.stats = stats;
        this.queue = new OutboundQueue(transport.config.maxQueuedFrames(), stats.dropped);
        PeerLink self = this;
        this.bootstrap = template.clone(loop).handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(FrameHandler.splitter(transport.config), new OutboundHandler(transport, self));
            }
        });
    }

    void start() {
        loop.execute(this::connect);
    }

    /** Any thread. @return whether the item was queued (see {@link OutboundQueue#offer}) */
    boolean enqueue(Outbound item) {
        boolean queued = queue.offer(item);
        if (queued && drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(this::drain);
            } catch (RejectedExecutionException e) {
                return false; // the transport is closing
            }
        }
        return queued;
    }

    /** Writes queued frames while the channel is writable; called again when it becomes writable. */
    void drain() {
        drainScheduled.set(false);
        if (!ready) return;
        Channel ch = channel;
        boolean wrote = false;
        while (ch.isWritable()) {
            Outbound item = queue.peek();
            if (item == null) break;
            if (item instanceof Outbound.Frame f) {
                queue.poll();
                write(ch, f.bytes());
                if (f.counted()) stats.messagesSent.incrementAndGet();
            } else if (item instanceof SnapshotTransfer t) {
                writeChunk(ch, t);
            }
            wrote = true;
        }
        if (wrote) ch.flush();
    }

    private void writeChunk(Channel ch, SnapshotTransfer t) {
        byte[] frame;
        try {
            frame = t.nextFrame(transport.config.chunkBytes());
        } catch (IOException e) {
            log.warn("snapshot {} to node {} aborted: {}", t.index(), id, e.toString());
            queue.poll();
            t.close();
            transport.snapshotSent(id, t.index(), false);
            return;
        }
        ChannelFuture written = write(ch, frame);
        if (t.done()) {
            queue.poll();
            stats.messagesSent.incrementAndGet();
            written.addListener(f -> transport.snapshotSent(id, t.index(), f.isSuccess()));
        }
    }

    private ChannelFuture write(Channel ch, byte[] frame) {
        stats.bytesSent.addAndGet(frame.length);
        return ch.write(Unpooled.wrappedBuffer(frame));
    }

    private void connect() {
        reconnect = null;
        if (closed) return;
        ChannelFuture f = bootstrap.connect(address);
        Channel ch = f.channel();
        channel = ch;
        ch.closeFuture().addListener(x -> onClosed(ch));
        f.addListener(x -> {
            if (!x.isSuccess()) {
                log.debug("connect to node {} at {} failed: {}", id, address, x.cause().toString());
                ch.close();
            }
        });
    }

    /** Handshake done on {@code ch}: start sending. */
    void onReady(Channel ch) {
        if (ch != channel || closed) {
            ch.close();
            return;
        }
        ready = true;
        failures = 0;
        stats.connected = true;
        log.info("connected to peer node {} at {}", id, address);
        transport.deliver(() -> transport.listener.onPeerConnected(id));
        drain();
    }

    private void onClosed(Channel ch) {
        if (ch != channel) return;
        channel = null;
        boolean wasReady = ready;
        ready = false;
        stats.connected = false;
        // A transfer cut off mid-way cannot resume on a new connection (the receiver restarts at offset 0);
        // report them all failed so the leader retries with a fresh snapshot.
        for (SnapshotTransfer t : queue.removeTransfers()) abort(t);
        if (wasReady) {
            log.info("lost connection to peer node {} at {}", id, address);
            transport.deliver(() -> transport.listener.onPeerDisconnected(id));
        }
        if (!closed) scheduleReconnect();
    }

    private void abort(SnapshotTransfer t) {
        t.close();
        transport.snapshotSent(id, t.index(), false);
    }

    private void scheduleReconnect() {
        long delay = Backoff.delayMs(failures++, transport.config.reconnectMinMs(), transport.config.reconnectMaxMs(), ThreadLocalRandom.current());
        reconnect = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** Any thread: the peer moved; reconnect to the new address. */
    void updateAddress(InetSocketAddress newAddress) {
        loop.execute(() -> {
            if (newAddress.equals(address)) return;
            address = newAddress;
            failures = 0;
            if (channel != null) {
                channel.close();
            } else if (reconnect != null && reconnect.cancel(false)) {
                connect();
            }
        });
    }

    /** Any thread: the peer left the cluster (or the transport closes). */
    void close() {
        loop.execute(() -> {
            closed = true;
            if (reconnect != null) reconnect.cancel(false);
            if (channel != null) channel.close();
            for (SnapshotTransfer t : queue.clear()) abort(t);
        });
    }

    int queued() {
        return queue.size();
    }
}
