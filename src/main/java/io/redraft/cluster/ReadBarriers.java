package io.redraft.cluster;

import io.redraft.server.ClientSession;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Linearizable reads in a group of several voters: before a client's read runs, the leader
 * confirms it still leads (ReadIndex: a heartbeat round with a quorum) and names the commit index
 * at that moment; the read runs once this node has applied that index. Rounds are batched: every
 * read that arrives while a round is in flight waits for the next one, so one round serves many
 * clients however many there are.
 *
 * <p>Keyspace thread, except the two methods the Raft driver calls from its thread, which hop.
 * A session waiting here is suspended; when its round passes it may run as many commands as it
 * had pending when it asked (they all arrived before the round began).
 */
public final class ReadBarriers {
    private final CommandExecutor executor;
    private final LongConsumer startRound;
    private List<ClientSession> next = new ArrayList<>();
    /** The round in flight: its context, when it started, its sessions; 0 when none. */
    private long roundContext;
    private long roundStartedNanos;
    private List<ClientSession> roundSessions = List.of();
    /** Rounds confirmed by the leader, waiting for this node to apply their index. */
    private final List<Passed> waitingForApply = new ArrayList<>();
    private long contexts;

    private record Passed(long index, List<ClientSession> sessions) { }

    ReadBarriers(CommandExecutor executor, LongConsumer startRound) {
        this.executor = executor;
        this.startRound = startRound;
    }

    /** Keyspace thread: session's next read needs a barrier. Suspends it until one passes. */
    public void request(ClientSession session) {
        session.suspend();
        session.readsAsked(session.pending().size());
        next.add(session);
        if (roundContext == 0) {
            startNextRound();
        }
    }

    private void startNextRound() {
        if (next.isEmpty()) {
            return;
        }
        roundContext = ++contexts;
        roundStartedNanos = System.nanoTime();
        roundSessions = next;
        next = new ArrayList<>();
        startRound.accept(roundContext);
    }

    /** Raft thread: the leader confirmed round context at index. */
    void roundReady(long context, long index) {
        executor.thread().execute(() -> {
            if (context != roundContext) {
                return; // a round that already failed
            }
            waitingForApply.add(new Passed(index, roundSessions));
            roundContext = 0;
            roundSessions = List.of();
            afterApply(executor.stateMachine().appliedIndex());
            startNextRound();
        });
    }

    /** Raft thread, every tick: fail a round older than the request timeout. */
    void expire(long now, long timeoutNanos) {
        executor.thread().execute(() -> {
            if (roundContext != 0 && now - roundStartedNanos > timeoutNanos) {
                failCurrent("CLUSTERDOWN No Raft leader confirmed this read within raft-request-timeout");
            }
        });
    }

    private void failCurrent(String error) {
        List<ClientSession> failed = roundSessions;
        roundContext = 0;
        roundSessions = List.of();
        for (ClientSession s : failed) {
            s.readFailed(error);
            executor.resume(s);
        }
        startNextRound();
    }

    /** Keyspace thread, after entries were applied: release the rounds now covered. */
    void afterApply(long applied) {
        for (int i = 0; i < waitingForApply.size(); ) {
            Passed p = waitingForApply.get(i);
            if (p.index() <= applied) {
                waitingForApply.remove(i);
                for (ClientSession s : p.sessions()) {
                    s.readsGranted();
                    executor.resume(s);
                }
            } else {
                i++;
            }
        }
    }
}
