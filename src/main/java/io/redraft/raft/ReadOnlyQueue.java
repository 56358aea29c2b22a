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
 *
 * <p>Every heartbeat starts a new round and remembers the leader tick it was sent at; that gives the
 * lease-based read option its lease start (see {@link RaftConfig.ReadOnlyOption#LEASE_BASED}).
 */
final class ReadOnlyQueue {
    /** A read waiting for confirmation; {@code from} = node to answer (the leader itself for local requests). */
    record PendingRead(long context, long from, long index, long round) { }

    private final ArrayDeque<PendingRead> pending = new ArrayDeque<>();
    private static final int TICK_HISTORY = 1024;

    private long lastSentRound;
    private long confirmedRound;
    /** sentAtTick[round % TICK_HISTORY] = leader tick at which that round was sent. */
    private final long[] sentAtTick = new long[TICK_HISTORY];

    /** Starts a new round sent at leader tick {@code now}; returns its number for the heartbeat context. */
    long startRound(long now) {
        lastSentRound++;
        sentAtTick[(int) (lastSentRound % TICK_HISTORY)] = now;
        return lastSentRound;
    }

    /** Leader tick at which {@code round} was sent, or -1 if unknown (too old, or never sent). */
    long sentAtTick(long round) {
        if (round <= 0 || round > lastSentRound || lastSentRound - round >= TICK_HISTORY) return -1;
        return sentAtTick[(int) (round % TICK_HISTORY)];
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
