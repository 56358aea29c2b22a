package io.redraft.raft.sim;

import io.redraft.raft.Entry;
import io.redraft.raft.HardState;
import io.redraft.raft.Membership;
import io.redraft.raft.Message;
import io.redraft.raft.MessageType;
import io.redraft.raft.RaftNode;
import io.redraft.raft.Role;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Safety properties checked while a {@link Simulation} runs. Cheap checks run after every event;
 * the ones that need history are maintained incrementally at the moment the relevant thing happens
 * (an entry is persisted, applied, a vote is sent, a node becomes leader).
 */
final class Invariants {
    private final Simulation sim;
    /** term -> the only node that was leader in it (Election Safety). */
    private final Map<Long, Long> leaderOfTerm = new HashMap<>();
    /** (index, term) -> the entry persisted anywhere with that index and term, and the term before it (Log Matching). */
    private final Map<Long, Map<Long, Entry>> persisted = new HashMap<>();
    private final Map<Long, Map<Long, Long>> persistedPrevTerm = new HashMap<>();
    /** index -> the entry applied there by anyone (State Machine Safety); also the known-committed set. */
    private Entry[] applied = new Entry[1024];
    /**
     * Term of the node that first applied each index. The entry was committed in a term no later
     * than that, so every leader of a later term must hold it (Leader Completeness). Leaders of
     * older terms may legitimately still be elected afterwards (a stale minority term) and lack it.
     */
    private long[] appliedAtTerm = new long[1024];
    private long maxApplied;
    /** Membership entries applied, by index, to know the configuration in effect at an index. */
    private final TreeMap<Long, Membership> appliedConfigs = new TreeMap<>();
    /** (node, term) -> candidate it granted its vote to. */
    private final Map<Long, Long> votesGranted = new HashMap<>();

    Invariants(Simulation sim, Membership initial) {
        this.sim = sim;
        appliedConfigs.put(0L, initial);
    }

    /** After every event: election safety, commit monotonicity, leader completeness for new leaders. */
    void afterEvent() {
        for (Simulation.SimNode n : sim.nodes.values()) {
            if (!n.up) continue;
            RaftNode r = n.raft;
            if (r.commitIndex() < n.lastCommit) sim.fail("commit index went backwards on n" + n.id + ": " + n.lastCommit + " -> " + r.commitIndex());
            n.lastCommit = r.commitIndex();
            if (r.role() == Role.LEADER && n.lastLeaderTerm != r.term()) {
                n.lastLeaderTerm = r.term();
                Long prev = leaderOfTerm.putIfAbsent(r.term(), n.id);
                if (prev != null && prev != n.id) sim.fail("two leaders in term " + r.term() + ": n" + prev + " and n" + n.id);
                sim.count("leaders elected");
                checkLeaderCompleteness(n);
            }
        }
    }

    /** Every entry known committed (applied anywhere) must be in a new leader's log. */
    private void checkLeaderCompleteness(Simulation.SimNode n) {
        RaftNode r = n.raft;
        for (long i = Math.max(1, r.firstIndex() - 1); i <= maxApplied; i++) {
            Entry e = applied[(int) i];
            if (e == null) continue; // index skipped via snapshots everywhere
            if (appliedAtTerm[(int) i] >= r.term()) continue; // may have been committed in this term or later
            long t = r.termAt(i);
            if (t != e.term()) {
                sim.fail("leader completeness: new leader n" + n.id + " (term " + r.term() + ") has term " + t + " at committed index " + i + ", expected " + e.term());
            }
        }
    }

    /** Log Matching, checked inductively: equal (index, term) => equal entry and equal previous term. */
    void persistedEntries(Simulation.SimNode n, List<Entry> ents) {
        for (Entry e : ents) {
            Map<Long, Entry> atIndex = persisted.computeIfAbsent(e.index(), k -> new HashMap<>());
            Entry prev = atIndex.putIfAbsent(e.term(), e);
            if (prev != null && !prev.equals(e)) sim.fail("log matching: two different entries at " + e.index() + "/" + e.term() + " (n" + n.id + ")");
            long prevTerm = e.index() == 1 ? 0 : (e.index() - 1 >= n.disk.firstIndex() - 1 ? n.disk.term(e.index() - 1) : -1);
            if (prevTerm >= 0) {
                Long known = persistedPrevTerm.computeIfAbsent(e.index(), k -> new HashMap<>()).putIfAbsent(e.term(), prevTerm);
                if (known != null && known != prevTerm) {
                    sim.fail("log matching: entry " + e.index() + "/" + e.term() + " follows term " + prevTerm + " on n" + n.id + " but term " + known + " elsewhere");
                }
            }
        }
    }

    /** Persisted hard state: term never decreases, the vote within a term never changes, commit never decreases. */
    void persistedHardState(Simulation.SimNode n, HardState old, HardState hs) {
        if (hs.term() < old.term()) sim.fail("persisted term decreased on n" + n.id + ": " + old + " -> " + hs);
        if (hs.term() == old.term() && old.vote() != 0 && hs.vote() != old.vote()) sim.fail("persisted vote changed within a term on n" + n.id + ": " + old + " -> " + hs);
        if (hs.commit() < old.commit()) sim.fail("persisted commit decreased on n" + n.id + ": " + old + " -> " + hs);
    }

    /** Outgoing messages: a node grants at most one vote per term, and only one it has persisted. */
    void sent(Simulation.SimNode n, Message m) {
        if (m.type == MessageType.VOTE_RESP && !m.reject) {
            Long prev = votesGranted.putIfAbsent(n.id * 1_000_000_007L + m.term, m.to);
            if (prev != null && prev != m.to) sim.fail("n" + n.id + " granted votes to n" + prev + " and n" + m.to + " in term " + m.term);
            HardState hs = n.disk.hardState();
            if (hs.term() < m.term || (hs.term() == m.term && hs.vote() != m.to)) sim.fail("n" + n.id + " sent a vote for n" + m.to + " in term " + m.term + " before persisting it (disk: " + hs + ")");
        }
    }

    /** State Machine Safety, and nothing is applied unless a quorum persisted it. */
    void applied(Simulation.SimNode n, Entry e) {
        int i = (int) e.index();
        if (i >= applied.length) {
            applied = Arrays.copyOf(applied, Math.max(i + 1, applied.length * 2));
            appliedAtTerm = Arrays.copyOf(appliedAtTerm, applied.length);
        }
        Entry prev = applied[i];
        if (prev == null) {
            checkDurable(n, e);
            applied[i] = e;
            appliedAtTerm[i] = n.raft.term();
            maxApplied = Math.max(maxApplied, i);
            if (e.type() == Entry.Type.MEMBERSHIP) {
                appliedConfigs.put(e.index(), Membership.decode(e.data()));
                sim.count("membership changes committed");
            }
        } else if (!prev.equals(e)) {
            sim.fail("state machine safety: n" + n.id + " applied " + e + " at " + i + " but another node applied " + prev);
        }
    }

    private void checkDurable(Simulation.SimNode applier, Entry e) {
        int copies = 0;
        Map<Long, Boolean> has = new HashMap<>();
        for (Simulation.SimNode n : sim.nodes.values()) {
            Entry d = n.disk.entry(e.index());
            boolean ok = (d != null && d.term() == e.term()) || n.disk.snapshotMetadata().index() >= e.index();
            has.put(n.id, ok);
            if (ok) copies++;
        }
        // The leader counted replicas under the configuration in effect when it committed the entry:
        // the one in effect at the entry (possibly the entry itself), or the one change appended after
        // it while it was uncommitted (single-server changes allow no more). Accept either.
        Membership atEntry = e.type() == Entry.Type.MEMBERSHIP ? Membership.decode(e.data()) : appliedConfigs.floorEntry(e.index()).getValue();
        Membership next = atEntry;
        for (long k = e.index() + 1; k <= applier.disk.lastIndex(); k++) {
            Entry x = applier.disk.entry(k);
            if (x != null && x.type() == Entry.Type.MEMBERSHIP) { next = Membership.decode(x.data()); break; }
        }
        Membership[] candidates = {atEntry, next, applier.raft.membership()};
        for (Membership m : candidates) {
            int votersWith = 0;
            for (long v : m.voters()) if (Boolean.TRUE.equals(has.get(v))) votersWith++;
            if (votersWith >= m.quorum()) return;
        }
        sim.fail("entry " + e + " applied by n" + applier.id + " but persisted only on " + has + " (configs " + Arrays.toString(candidates) + ")");
    }
}
