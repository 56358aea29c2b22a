package io.redraft.raft;

import java.util.ArrayDeque;

/**
 * Bounded window of AppendEntries messages sent to one follower in REPLICATE state and not yet
 * acknowledged. Limits both the number of messages and their total bytes, so a slow follower cannot
 * make the leader buffer unbounded data in the transport.
 */
final class Inflights {
    private record Item(long lastIndex, long bytes) { }

    private final int maxCount;
    private final long maxBytes;
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    private long bytes;

    Inflights(int maxCount, long maxBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    void add(long lastIndex, long size) {
        items.addLast(new Item(lastIndex, size));
        bytes += size;
    }

    /** Frees every message whose last index is <= index (they are acknowledged). */
    void freeLE(long index) {
        while (!items.isEmpty() && items.peekFirst().lastIndex() <= index) bytes -= items.pollFirst().bytes();
    }

    void freeFirstOne() {
        Item it = items.pollFirst();
        if (it != null) bytes -= it.bytes();
    }

    boolean full() { return items.size() >= maxCount || bytes >= maxBytes; }
    int count() { return items.size(); }
    long bytes() { return bytes; }

    void reset() {
        items.clear();
        bytes = 0;
    }
}
