package io.redraft.raft.net;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A peer's bounded outbound queue. Senders on any thread offer; the peer's event loop peeks and polls.
 *
 * <p>When full, the oldest droppable item is evicted to make room (a stale heartbeat or append is the
 * least useful thing to deliver late). If nothing is droppable, a droppable newcomer is dropped and
 * a non-droppable one is refused (the caller learns it from the return value). Every loss is counted.
 */
final class OutboundQueue {
    private final int capacity;
    private final AtomicLong drops;
    private final ArrayDeque<Outbound> items = new ArrayDeque<>();

    OutboundQueue(int capacity, AtomicLong drops) {
        this.capacity = capacity;
        this.drops = drops;
    }

    /** @return whether {@code item} was queued */
    synchronized boolean offer(Outbound item) {
        if (items.size() >= capacity && !evictOldestDroppable()) {
            drops.incrementAndGet();
            return false;
        }
        items.addLast(item);
        return true;
    }

    private boolean evictOldestDroppable() {
        for (Iterator<Outbound> it = items.iterator(); it.hasNext(); ) {
            if (it.next().droppable()) {
                it.remove();
                drops.incrementAndGet();
                return true;
            }
        }
        return false;
    }

    synchronized Outbound peek() {
        return items.peekFirst();
    }

    synchronized Outbound poll() {
        return items.pollFirst();
    }

    synchronized int size() {
        return items.size();
    }

    /** Removes and returns the snapshot transfers (they cannot survive a lost connection). */
    synchronized List<SnapshotTransfer> removeTransfers() {
        List<SnapshotTransfer> out = new ArrayList<>();
        for (Iterator<Outbound> it = items.iterator(); it.hasNext(); ) {
            if (it.next() instanceof SnapshotTransfer t) {
                it.remove();
                out.add(t);
            }
        }
        return out;
    }

    /** Empties the queue (peer removed); frames count as drops, transfers are returned for reporting. */
    synchronized List<SnapshotTransfer> clear() {
        List<SnapshotTransfer> transfers = removeTransfers();
        drops.addAndGet(items.size());
        items.clear();
        return transfers;
    }
}
