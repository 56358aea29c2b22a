package io.redraft.cluster;

import io.redraft.server.ClientSession;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Linearizable reads in a group of several voters: before a client's read runs, the leader
 * confirms it still leads (ReadIndex: a heartbeat round with a quorum) and names the commit index
 * at that moment; the read runs once this node has applied that index.
 *
 * <p>Every read that asks during one turn of the keyspace loop shares one request, made at the
 * end of the turn; requests do not wait for each other here. The Raft core batches them into
 * heartbeat rounds (everything that arrives while a round is out goes in the next, sent the
 * moment the round before is confirmed), so one round serves many clients however many there
 * are, without a hop back to this thread between rounds.
 *
 * <p>Keyspace thread, except the two methods the Raft driver calls from its thread, which hop.
 * A session waiting here is suspended; when its round passes it may run as many commands as it
 * had pending when it asked (they all arrived before the round began).
 */
public final class ReadBarriers {
    private final CommandExecutor executor;
    private final LongConsumer startRound;
    private List<ClientSession> next = new ArrayList<>();
    private boolean requestScheduled;
    /** Requests made and not yet confirmed, by context, oldest first. */
    private final Map<Long, Round> inFlight = new LinkedHashMap<>();
    /** Rounds confirmed by the leader, waiting for this node to apply their index. */
    private final List<Passed> waitingForApply = new ArrayList<>();
    private long contexts;

    private record Round(long startedNanos, List<ClientSession> sessions) { }

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
        if (!requestScheduled) {
            requestScheduled = true;
            executor.thread().execute(this::requestRound); // after the rest of this turn's reads
        }
    }

    private void requestRound() {
        requestScheduled = false;
        if (next.isEmpty()) {
            return;
        }
        long context = ++contexts;
        inFlight.put(context, new Round(System.nanoTime(), next));
        next = new ArrayList<>();
        startRound.accept(context);
    }

    /** Raft thread: the leader confirmed round context at index. */
    void roundReady(long context, long index) {
        executor.thread().execute(() -> {
            Round round = inFlight.remove(context);
            if (round == null) {
                return; // a round that already failed
            }
            waitingForApply.add(new Passed(index, round.sessions()));
            afterApply(executor.stateMachine().appliedIndex());
        });
    }

    /** Raft thread, every tick: fail the requests older than the request timeout. */
    void expire(long now, long timeoutNanos) {
        executor.thread().execute(() -> {
            for (Iterator<Round> it = inFlight.values().iterator(); it.hasNext(); ) {
                Round round = it.next();
                if (now - round.startedNanos() <= timeoutNanos) {
                    break; // the rest are younger
                }
                it.remove();
                for (ClientSession s : round.sessions()) {
                    s.readFailed("CLUSTERDOWN No Raft leader confirmed this read within raft-request-timeout");
                    executor.resume(s);
                }
            }
        });
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
