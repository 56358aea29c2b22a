package io.redraft.pubsub;

import java.nio.charset.StandardCharsets;

/**
 * The three subscription families of Redis 7.0 and the words of their frames: channels
 * (SUBSCRIBE, "message"), patterns (PSUBSCRIBE, "pmessage") and shard channels (SSUBSCRIBE,
 * "smessage"). Channels and patterns share one subscription count; shard channels have their own.
 */
public enum SubscriptionKind {
    CHANNEL("subscribe", "unsubscribe", "message"),
    PATTERN("psubscribe", "punsubscribe", "pmessage"),
    SHARD("ssubscribe", "sunsubscribe", "smessage");

    /** The first element of each frame, already encoded as a RESP bulk string. */
    final byte[] subscribeBulk;
    final byte[] unsubscribeBulk;
    final byte[] messageBulk;

    SubscriptionKind(String subscribe, String unsubscribe, String message) {
        this.subscribeBulk = bulk(subscribe);
        this.unsubscribeBulk = bulk(unsubscribe);
        this.messageBulk = bulk(message);
    }

    private static byte[] bulk(String word) {
        return ("$" + word.length() + "\r\n" + word + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
