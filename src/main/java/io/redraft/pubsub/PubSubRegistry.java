package io.redraft.pubsub;

import io.redraft.resp.RespWriter;
import io.redraft.server.ClientSession;
import io.redraft.server.ServerContext;
import io.redraft.store.GlobMatcher;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who listens to what on this node: channel, pattern and shard-channel subscriptions, both
 * ways (name to subscribers, connection to names), and the publishing of a message to them.
 * Owned by the keyspace thread.
 *
 * <p>Subscriptions are node-local connection state, like Redis's; they are not in the log.
 * PUBLISH is: every node applies it in log order and {@link #publish delivers} it to its own
 * subscribers, channel subscribers first, then pattern subscribers, each in subscription order.
 * Subscribers and patterns are kept in insertion order so that order is deterministic.
 */
public final class PubSubRegistry {
    /** What a RESP2 connection in subscribed mode may still run (Redis's processCommand check). */
    private static final Set<String> ALLOWED_WHILE_SUBSCRIBED = Set.of("subscribe", "psubscribe", "ssubscribe",
            "unsubscribe", "punsubscribe", "sunsubscribe", "ping", "quit", "reset");

    private final Map<ClientSession, Subscriber> subscribers = new HashMap<>();
    private final Map<SubscriptionKind, Map<ChannelName, LinkedHashSet<Subscriber>>> byName =
            new EnumMap<>(SubscriptionKind.class);
    private final MessageDelivery delivery;

    public PubSubRegistry(ServerContext server) {
        for (SubscriptionKind k : SubscriptionKind.values()) {
            byName.put(k, new LinkedHashMap<>());
        }
        this.delivery = new MessageDelivery(server);
        server.onSessionClosed(this::dropAll);
        server.onSessionReset(this::dropAll); // RESET unsubscribes from everything, silently
    }

    /** SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE argv[1..]: one confirmation frame per name. */
    public void subscribe(ClientSession session, SubscriptionKind kind, byte[][] argv, RespWriter out) {
        Subscriber sub = subscribers.computeIfAbsent(session, Subscriber::new);
        for (int i = 1; i < argv.length; i++) {
            ChannelName name = new ChannelName(argv[i]);
            if (sub.names(kind).add(name)) {
                byName.get(kind).computeIfAbsent(name, n -> new LinkedHashSet<>()).add(sub);
            }
            frame(out, kind.subscribeBulk, argv[i], sub.reportedCount(kind));
        }
    }

    /**
     * UNSUBSCRIBE / PUNSUBSCRIBE / SUNSUBSCRIBE: the names in argv[1..], or every name of that
     * kind when none is given. One frame per name; a bare call with nothing to drop still gets
     * one frame, with a null name.
     */
    public void unsubscribe(ClientSession session, SubscriptionKind kind, byte[][] argv, RespWriter out) {
        Subscriber sub = subscribers.get(session);
        if (argv.length == 1) {
            if (sub == null || sub.names(kind).isEmpty()) {
                frame(out, kind.unsubscribeBulk, null, sub == null ? 0 : sub.reportedCount(kind));
            } else {
                for (ChannelName name : new ArrayList<>(sub.names(kind))) {
                    remove(sub, kind, name);
                    frame(out, kind.unsubscribeBulk, name.bytes, sub.reportedCount(kind));
                }
            }
        } else {
            for (int i = 1; i < argv.length; i++) {
                if (sub != null) {
                    remove(sub, kind, new ChannelName(argv[i]));
                }
                frame(out, kind.unsubscribeBulk, argv[i], sub == null ? 0 : sub.reportedCount(kind));
            }
        }
        if (sub != null && sub.total() == 0) {
            subscribers.remove(session);
        }
    }

    /**
     * Delivers a message published to channel (kind CHANNEL: also to matching patterns; kind
     * SHARD: shard subscribers only) and returns the number of receptions on this node.
     */
    public int publish(SubscriptionKind kind, byte[] channel, byte[] message) {
        int receivers = 0;
        LinkedHashSet<Subscriber> direct = byName.get(kind).get(new ChannelName(channel));
        if (direct != null) {
            for (Subscriber sub : direct) {
                delivery.deliver(sub, kind, null, channel, message);
                receivers++;
            }
        }
        if (kind == SubscriptionKind.CHANNEL) {
            for (Map.Entry<ChannelName, LinkedHashSet<Subscriber>> e : byName.get(SubscriptionKind.PATTERN).entrySet()) {
                byte[] pattern = e.getKey().bytes;
                if (GlobMatcher.matches(pattern, channel, false)) {
                    for (Subscriber sub : e.getValue()) {
                        delivery.deliver(sub, SubscriptionKind.PATTERN, pattern, channel, message);
                        receivers++;
                    }
                }
            }
        }
        return receivers;
    }

    /**
     * The error a RESP2 connection in subscribed mode gets for any other command (RESP3 may run
     * everything), or null when the command may run.
     */
    public String refusal(ClientSession session, String commandName) {
        if (!resp2Subscribed(session) || ALLOWED_WHILE_SUBSCRIBED.contains(commandName)) {
            return null;
        }
        return "ERR Can't execute '" + commandName + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET"
                + " are allowed in this context";
    }

    /** A RESP2 connection with subscriptions (PING then answers ["pong", arg]). */
    public boolean resp2Subscribed(ClientSession session) {
        return session != null && session.protocol() == 2 && subscribers.containsKey(session);
    }

    /** Whether the connection has any subscription (Redis's CLIENT_PUBSUB flag, client type pubsub). */
    public boolean subscribed(ClientSession session) {
        return subscribers.containsKey(session);
    }

    /** How many names of this kind the connection subscribes to (CLIENT LIST sub= psub= ssub=). */
    public int subscriptions(ClientSession session, SubscriptionKind kind) {
        Subscriber sub = subscribers.get(session);
        return sub == null ? 0 : sub.names(kind).size();
    }

    /** Subscribers of one channel or shard channel, pattern subscriptions excluded (PUBSUB NUMSUB). */
    public int subscriberCount(SubscriptionKind kind, byte[] name) {
        LinkedHashSet<Subscriber> subs = byName.get(kind).get(new ChannelName(name));
        return subs == null ? 0 : subs.size();
    }

    /** Names of this kind with at least one subscriber (INFO pubsub_channels, PUBSUB NUMPAT). */
    public int nameCount(SubscriptionKind kind) {
        return byName.get(kind).size();
    }

    /** Active names of this kind matching pattern (all when null): PUBSUB CHANNELS / SHARDCHANNELS. */
    public List<byte[]> names(SubscriptionKind kind, byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        for (ChannelName name : byName.get(kind).keySet()) {
            if (pattern == null || GlobMatcher.matches(pattern, name.bytes, false)) {
                out.add(name.bytes);
            }
        }
        return out;
    }

    private void remove(Subscriber sub, SubscriptionKind kind, ChannelName name) {
        if (!sub.names(kind).remove(name)) {
            return;
        }
        Map<ChannelName, LinkedHashSet<Subscriber>> index = byName.get(kind);
        LinkedHashSet<Subscriber> subs = index.get(name);
        subs.remove(sub);
        if (subs.isEmpty()) {
            index.remove(name); // PUBSUB CHANNELS lists only channels someone listens to
        }
    }

    /** Forgets every subscription of a connection that closed or sent RESET (no frames). */
    private void dropAll(ClientSession session) {
        Subscriber sub = subscribers.remove(session);
        if (sub == null) {
            return;
        }
        for (SubscriptionKind kind : SubscriptionKind.values()) {
            for (ChannelName name : new ArrayList<>(sub.names(kind))) {
                remove(sub, kind, name);
            }
        }
    }

    /** A (un)subscribe confirmation: a push in RESP3, an array in RESP2; null name as Redis's null. */
    private static void frame(RespWriter out, byte[] kindBulk, byte[] name, int count) {
        out.pushHeader(3);
        out.raw(kindBulk);
        if (name == null) {
            out.nullBulk();
        } else {
            out.bulk(name);
        }
        out.integer(count);
    }
}
