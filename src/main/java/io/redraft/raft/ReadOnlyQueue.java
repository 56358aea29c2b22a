package io.redraft.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Pending read-index requests on a leader, confirmed in batched heartbeat <em>rounds</em>.
 *
 * <p>Each heartbeat carries a round number in {@link Message#context}. A request that arrives is
 * assigned to the next round that has not been sent yet, so it is only confirmed by acks of a
 * heartbeat sent after it arrived. Everything that arrives while a round is outstanding waits for
 * the next round, so one round of acks confirms a whole batch. A follower's ack of round r also
 * acknowledges every earlier round (it was sent later than all of them), so a round is confirmed
 * once a quorum of voters has acked a round >= r.
 */
final class ReadOnlyQueue {
    /** A read waiting for confirmation; {@code from} = node to answer (the leader itself for local requests). */
    record PendingRead(long context, long from, long index, long round) { }

    private final ArrayDeque<PendingRead> pending = new ArrayDeque<>();
    private long lastSentRound;
    private long confirmedRound;

    /** Round number to put on the next heartbeat; starts a new round if requests are waiting for one. */
    long roundForHeartbeat() {
        if (!pending.isEmpty() && pending.peekLast().round() > lastSentRound) lastSentRound++;
        return lastSentRound;
    }

    /**
     * Queue a read at {@code index}. Returns true if the caller should broadcast a heartbeat now
     * (no round is outstanding); otherwise the request rides on the next round.
     */
    boolean add(long context, long from, long index) {
        pending.addLast(new PendingRead(context, from, index, lastSentRound + 1));
        return confirmedRound >= lastSentRound;
    }

    long lastSentRound() { return lastSentRound; }

    /** A quorum acked {@code round}: release all reads assigned to it or earlier. */
    List<PendingRead> confirm(long round) {
        if (round <= confirmedRound) return List.of();
        confirmedRound = round;
        List<PendingRead> out = new ArrayList<>();
        while (!pending.isEmpty() && pending.peekFirst().round() <= round) out.add(pending.pollFirst());
        return out;
    }

    /** Whether requests are waiting for a round that has not been sent yet. */
    boolean hasUnsentRound() { return !pending.isEmpty() && pending.peekLast().round() > lastSentRound; }

    boolean isEmpty() { return pending.isEmpty(); }
}
