package io.redraft.raft.net;

import io.redraft.raft.Membership;
import io.redraft.raft.Message;
import io.redraft.raft.MessageType;
import io.redraft.raft.Snapshot;
import io.redraft.raft.SnapshotMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class OutboundQueueTest {
    private static Outbound.Frame raft(int tag) {
        return new Outbound.Frame(new byte[]{(byte) tag}, true, true);
    }

    private static Outbound.Frame forward(int tag) {
        return new Outbound.Frame(new byte[]{(byte) tag}, false, true);
    }

    private static SnapshotTransfer transfer() throws Exception {
        Message m = Message.builder(MessageType.SNAPSHOT, 1, 2, 1)
                .snapshot(new Snapshot(new SnapshotMetadata(5, 1, Membership.ofVoters(1, 2)), new byte[10])).build();
        return new SnapshotTransfer(m, SnapshotTransfer.of(m.snapshot.data()));
    }

    @Test
    void fullQueueEvictsTheOldestDroppableFrame() {
        AtomicLong drops = new AtomicLong();
        OutboundQueue q = new OutboundQueue(3, drops);
        Outbound.Frame f0 = forward(0);
        assertTrue(q.offer(f0));
        assertTrue(q.offer(raft(1)));
        assertTrue(q.offer(raft(2)));
        assertTrue(q.offer(raft(3))); // evicts raft(1), the oldest droppable; the forward before it stays
        assertEquals(1, drops.get());
        assertSame(f0, q.poll());
        assertEquals(2, ((Outbound.Frame) q.poll()).bytes()[0]);
        assertEquals(3, ((Outbound.Frame) q.poll()).bytes()[0]);
        assertEquals(0, q.size());
    }

    @Test
    void queueOfUndroppablesRefusesNewcomersAndCountsThem() throws Exception {
        AtomicLong drops = new AtomicLong();
        OutboundQueue q = new OutboundQueue(2, drops);
        assertTrue(q.offer(forward(0)));
        assertTrue(q.offer(transfer()));
        assertFalse(q.offer(raft(1)));
        assertFalse(q.offer(forward(2)));
        assertEquals(2, drops.get());
        assertEquals(2, q.size());
    }

    @Test
    void transfersAreTakenOutOnDisconnectAndClearCountsFrames() throws Exception {
        AtomicLong drops = new AtomicLong();
        OutboundQueue q = new OutboundQueue(10, drops);
        q.offer(raft(0));
        SnapshotTransfer t = transfer();
        q.offer(t);
        q.offer(forward(1));
        assertEquals(1, q.removeTransfers().size());
        assertEquals(2, q.size());
        q.offer(transfer());
        assertEquals(1, q.clear().size());
        assertEquals(2, drops.get());
        assertEquals(0, q.size());
    }
}
