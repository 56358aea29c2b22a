package io.redraft.pubsub;

import io.redraft.resp.RespWriter;
import io.redraft.server.ClientSession;
import io.redraft.server.OutputBufferLimits;
import io.redraft.server.ServerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Writes published messages into subscribers' output and gets them onto the wire.
 *
 * <p>A message is delivered while a PUBLISH entry is applied, inside some other connection's
 * work on the keyspace thread, so the executor's per-batch flush never sees the subscriber.
 * Subscribers that received something are remembered and flushed by one task queued behind the
 * current one: a batch of applied entries costs one socket write per subscriber, not one per
 * message.
 *
 * <p>Output limits: a subscriber whose output backlog reaches the pubsub class of
 * client-output-buffer-limit (the hard limit at once, the soft limit for longer than its
 * seconds) gets nothing more and is closed at the flush, as Redis closes it "ASAP". The clock
 * here is the node's own: which subscribers a node drops is local, never keyspace state.
 */
final class MessageDelivery {
    private static final Logger log = LoggerFactory.getLogger(MessageDelivery.class);

    private final ServerContext server;
    private final List<Subscriber> dirty = new ArrayList<>();
    private boolean flushQueued;
    private String limitsText;
    private OutputBufferLimits limits;

    MessageDelivery(ServerContext server) {
        this.server = server;
    }

    /** One message, message or smessage frame (pattern null), or pmessage frame. */
    void deliver(Subscriber sub, SubscriptionKind kind, byte[] pattern, byte[] channel, byte[] message) {
        ClientSession session = sub.session;
        // CLIENT REPLY OFF does not stop messages (redis 7.0.15 sends them too).
        if (sub.doomed || session.closing()) {
            return;
        }
        RespWriter out = session.writer();
        out.pushHeader(pattern == null ? 3 : 4);
        out.raw(kind.messageBulk);
        if (pattern != null) {
            out.bulk(pattern);
        }
        out.bulk(channel);
        out.bulk(message);
        checkLimit(sub);
        markDirty(sub);
    }

    private void markDirty(Subscriber sub) {
        if (sub.dirty) {
            return;
        }
        sub.dirty = true;
        dirty.add(sub);
        if (!flushQueued) {
            flushQueued = true;
            if (server.executor() == null) {
                flush(); // a bare state machine (tests): nothing to batch behind
                return;
            }
            try {
                server.executor().thread().execute(this::flush);
            } catch (RejectedExecutionException e) {
                flush(); // the keyspace thread is stopping
            }
        }
    }

    /** Hands every pending subscriber's output to Netty, and closes those over their limit. */
    void flush() {
        flushQueued = false;
        for (Subscriber sub : dirty) {
            sub.dirty = false;
            if (sub.doomed) {
                if (!sub.session.closing()) {
                    sub.session.kill();
                }
            } else {
                sub.session.flush();
            }
        }
        dirty.clear();
    }

    private void checkLimit(Subscriber sub) {
        OutputBufferLimits l = limits();
        long hard = l.pubsubHard();
        long soft = l.pubsubSoft();
        if (hard == 0 && soft == 0) {
            return;
        }
        long used = sub.session.pendingOutputBytes();
        boolean over = hard > 0 && used >= hard;
        if (!over && soft > 0 && used >= soft) {
            long now = System.currentTimeMillis();
            if (sub.softLimitSince == 0) {
                sub.softLimitSince = now;
            } else {
                over = (now - sub.softLimitSince) / 1000 > l.pubsubSeconds();
            }
        } else if (!over) {
            sub.softLimitSince = 0;
        }
        if (over) {
            sub.doomed = true;
            log.warn("closing subscriber id={} addr={}: {} bytes of output exceed the pubsub client-output-buffer-limit",
                    sub.session.id(), sub.session.addr(), used);
        }
    }

    private OutputBufferLimits limits() {
        String text = server.config().get("client-output-buffer-limit");
        if (!text.equals(limitsText)) {
            limits = OutputBufferLimits.parse(text);
            limitsText = text;
        }
        return limits;
    }
}
