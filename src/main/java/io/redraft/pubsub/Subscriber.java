package io.redraft.pubsub;

import io.redraft.server.ClientSession;

import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * One connection's side of pub/sub: what it subscribes to (in subscription order, which is the
 * order a bare UNSUBSCRIBE reports them in) and the state of its pubsub output-buffer limit.
 * Exists only while the connection has at least one subscription.
 */
final class Subscriber {
    final ClientSession session;
    private final Map<SubscriptionKind, LinkedHashSet<ChannelName>> names = new EnumMap<>(SubscriptionKind.class);

    /** Local clock (ms) when the output first went over the soft limit; 0 while under it. */
    long softLimitSince;
    /** Over its output limit: receives nothing more and is closed at the next flush. */
    boolean doomed;
    /** Has output waiting for the next {@link MessageDelivery} flush. */
    boolean dirty;

    Subscriber(ClientSession session) {
        this.session = session;
        for (SubscriptionKind k : SubscriptionKind.values()) {
            names.put(k, new LinkedHashSet<>());
        }
    }

    LinkedHashSet<ChannelName> names(SubscriptionKind kind) {
        return names.get(kind);
    }

    /**
     * The count a (un)subscribe frame reports: channels and patterns together, shard channels
     * on their own (Redis's clientSubscriptionsCount and clientShardSubscriptionsCount).
     */
    int reportedCount(SubscriptionKind kind) {
        return kind == SubscriptionKind.SHARD
                ? names.get(SubscriptionKind.SHARD).size()
                : names.get(SubscriptionKind.CHANNEL).size() + names.get(SubscriptionKind.PATTERN).size();
    }

    int total() {
        int n = 0;
        for (LinkedHashSet<ChannelName> s : names.values()) {
            n += s.size();
        }
        return n;
    }
}
