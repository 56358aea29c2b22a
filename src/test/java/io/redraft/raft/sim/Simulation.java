package io.redraft.raft.sim;

import io.redraft.raft.Entry;
import io.redraft.raft.Membership;
import io.redraft.raft.MembershipChange;
import io.redraft.raft.MemoryRaftStorage;
import io.redraft.raft.Message;
import io.redraft.raft.MessageType;
import io.redraft.raft.ProposalRejectedException;
import io.redraft.raft.RaftConfig;
import io.redraft.raft.RaftNode;
import io.redraft.raft.ReadState;
import io.redraft.raft.Ready;
import io.redraft.raft.Role;
import io.redraft.raft.SnapshotMetadata;
import io.redraft.raft.SnapshotSend;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Seeded, deterministic, single-threaded discrete-event simulation of a whole Raft cluster.
 *
 * <p>Everything random is drawn from one {@link SplittableRandom} seeded with the run's seed, events
 * are ordered by (time, sequence number), and all maps that are iterated are sorted, so a seed
 * always replays the exact same run. Time is in simulated milliseconds; each node ticks every
 * {@value #TICK_MS} ms with its own phase.
 *
 * <p>A run has a chaos phase (random client writes/reads, message loss, duplication, reordering,
 * symmetric and one-way partitions, crashes that lose unpersisted state, restarts, membership
 * changes, leadership transfers, log compaction) followed by a heal phase in which the network is
 * made reliable, every node is restarted, and the cluster must elect a leader and commit a fresh
 * entry within a bounded time. {@link Invariants} are checked after every event; the client history
 * is checked for linearizability at the end.
 */
public final class Simulation {
    static final long TICK_MS = 10;
    static final long CLIENT_TIMEOUT_MS = 1000;
    static final long HEAL_DEADLINE_MS = 6000;

    /** Per-run knobs, drawn from the seed. */
    record Options(int clusterSize, boolean preVote, boolean checkQuorum, RaftConfig.ReadOnlyOption readOption,
                   int heartbeatTicks, long maxSizePerMsg, int maxInflight, long maxUncommitted,
                   double dropRate, double dupRate, int maxLatency, int compactEvery, long chaosMs, int spares, int chaosInterval, boolean flappyLeaders) { }

    final long seed;
    final SplittableRandom rnd;
    final Options opt;
    final Trace trace = new Trace();
    final Invariants inv;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long seq;
    final TreeMap<Long, SimNode> nodes = new TreeMap<>();
    private final Set<Long> blocked = new HashSet<>(); // from * 1000 + to
    private double dropRate, dupRate;
    private boolean chaos = true;
    private long nextSpare;
    private long nextOpId = 1;
    private long histClock = 1;
    final List<LinearizabilityChecker.Op> history = new ArrayList<>();
    private int keys;
    /** What this run exercised (for the coverage summary of the test). */
    final TreeMap<String, Long> stats = new TreeMap<>();
    private final long[] clientBusy;
    // liveness phase
    private long markerIndex = -1, markerTerm = -1;
    private SimNode markerNode;
    private boolean live;

    private record Event(long time, long seq, String kind, long node, Object detail, Runnable action) implements Comparable<Event> {
        public int compareTo(Event o) { return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq); }
    }

    public Simulation(long seed) {
        this.seed = seed;
        this.rnd = new SplittableRandom(seed);
        int[] sizes = {1, 3, 3, 3, 5, 5, 5};
        int n = sizes[rnd.nextInt(sizes.length)];
        boolean checkQuorum = rnd.nextInt(5) != 0;
        this.opt = new Options(n, rnd.nextInt(5) != 0, checkQuorum,
                checkQuorum && rnd.nextInt(4) == 0 ? RaftConfig.ReadOnlyOption.LEASE_BASED : RaftConfig.ReadOnlyOption.SAFE,
                1 + rnd.nextInt(2), rnd.nextBoolean() ? 64 : 64 + rnd.nextInt(2000), rnd.nextBoolean() ? 1 : 1 + rnd.nextInt(8),
                rnd.nextInt(3) == 0 ? 300 + rnd.nextInt(2000) : Long.MAX_VALUE,
                rnd.nextDouble() * 0.12, rnd.nextDouble() * 0.05, 2 + rnd.nextInt(12), 5 + rnd.nextInt(60),
                1200 + rnd.nextInt(1500), 2, 50 + rnd.nextInt(250), rnd.nextBoolean());
        this.dropRate = opt.dropRate;
        this.dupRate = opt.dupRate;
        this.keys = 1 + rnd.nextInt(4);
        this.clientBusy = new long[2 + rnd.nextInt(4)];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = i + 1;
        Membership initial = Membership.ofVoters(ids);
        this.inv = new Invariants(this, initial);
        for (long id : ids) nodes.put(id, new SimNode(id, new MemoryRaftStorage(initial)));
        this.nextSpare = n + 1;
    }

    /** Runs to completion; throws {@link SimulationFailure} with a trace on any violation. */
    public Simulation run() {
        for (SimNode n : nodes.values()) start(n);
        for (int c = 0; c < clientBusy.length; c++) {
            int client = c;
            schedule(rnd.nextLong(20), "client", 0, c, () -> clientIssue(client));
        }
        schedule(50 + rnd.nextLong(100), "chaos", 0, null, this::chaosLoop);
        schedule(opt.chaosMs, "heal", 0, null, this::healAll);
        long deadline = opt.chaosMs + HEAL_DEADLINE_MS;
        while (!live) {
            Event e = queue.poll();
            if (e == null) fail("event queue ran dry");
            if (e.time > deadline) fail("no leader committed a new entry within " + HEAL_DEADLINE_MS + "ms after healing");
            now = e.time;
            trace.add(now, e.kind, e.node, e.detail);
            try {
                e.action.run();
            } catch (SimulationFailure f) {
                throw f;
            } catch (RuntimeException ex) {
                throw new SimulationFailure(seed, "exception in " + e.kind + " n" + e.node + ": " + ex, trace, ex);
            }
            inv.afterEvent();
        }
        // Outstanding client operations have unknown outcomes.
        for (SimNode n : nodes.values()) n.abandonClientOps();
        if (skipCheck) return this;
        LinearizabilityChecker.Result r = LinearizabilityChecker.check(history);
        if (!r.ok()) fail("history not linearizable: " + r.detail());
        return this;
    }

    long now() { return now; }

    void fail(String why) { throw new SimulationFailure(seed, why + "\n  options: " + opt + "\n" + nodeStates(), trace, null); }

    String nodeStates() {
        StringBuilder sb = new StringBuilder();
        for (SimNode n : nodes.values()) {
            sb.append("  n").append(n.id).append(n.up ? " up   " : " DOWN ").append(n.up ? n.raft.toString() : "")
              .append(" disk: first=").append(n.disk.firstIndex()).append(" last=").append(n.disk.lastIndex())
              .append(" hs=").append(n.disk.hardState()).append('\n');
        }
        return sb.toString();
    }

    private void schedule(long delay, String kind, long node, Object detail, Runnable action) {
        queue.add(new Event(now + delay, seq++, kind, node, detail, action));
    }

    // ------------------------------------------------------------------ nodes

    final class SimNode {
        final long id;
        final MemoryRaftStorage disk; // survives crashes: only what was persisted
        RaftNode raft;
        KvStateMachine kv;
        boolean up;
        int incarnation;
        boolean readyScheduled;
        final TreeMap<Long, PendingWrite> writes = new TreeMap<>(); // by log index
        final TreeMap<Long, PendingRead> reads = new TreeMap<>();   // by ctx
        final List<PendingRead> awaitingApply = new ArrayList<>();
        long lastCommit;
        long lastLeaderTerm = -1;

        SimNode(long id, MemoryRaftStorage disk) { this.id = id; this.disk = disk; }

        void abandonClientOps() {
            for (PendingWrite w : writes.values()) { history.add(w.unknown()); clientDone(w.client, w.opId); }
            for (PendingRead r : reads.values()) clientDone(r.client, r.ctx);
            for (PendingRead r : awaitingApply) clientDone(r.client, r.ctx);
            writes.clear();
            reads.clear();
            awaitingApply.clear();
        }
    }

    record PendingWrite(int client, long opId, int key, long value, long invoke, long term) {
        LinearizabilityChecker.Op unknown() {
            return new LinearizabilityChecker.Op(key, true, value, invoke, LinearizabilityChecker.Op.UNKNOWN);
        }
    }

    record PendingRead(int client, long ctx, int key, long invoke, long index) { }

    private void start(SimNode n) {
        n.up = true;
        n.incarnation++;
        n.kv = KvStateMachine.restore(n.disk.snapshotData());
        if (n.kv.applied() != n.disk.snapshotMetadata().index()) fail("snapshot data/metadata mismatch on n" + n.id);
        RaftConfig cfg = RaftConfig.builder(n.id).electionTicks(10).heartbeatTicks(opt.heartbeatTicks)
                .preVote(opt.preVote).checkQuorum(opt.checkQuorum).readOnlyOption(opt.readOption)
                .maxSizePerMsg(opt.maxSizePerMsg).maxInflightMsgs(opt.maxInflight).maxUncommittedEntriesSize(opt.maxUncommitted)
                .seed(seed * 1_000_003L + n.id * 101 + n.incarnation).applied(n.kv.applied()).build();
        n.raft = new RaftNode(cfg, n.disk);
        n.lastCommit = n.raft.commitIndex();
        n.lastLeaderTerm = -1;
        n.readyScheduled = false;
        int inc = n.incarnation;
        schedule(rnd.nextLong(TICK_MS), "tick", n.id, null, () -> tickLoop(n, inc));
    }

    private void tickLoop(SimNode n, int inc) {
        if (!n.up || n.incarnation != inc) return;
        n.raft.tick();
        afterInput(n);
        schedule(TICK_MS, "tick", n.id, null, () -> tickLoop(n, inc));
    }

    private void crash(SimNode n) {
        n.up = false;
        n.incarnation++;
        n.raft = null;
        n.kv = null;
        n.abandonClientOps();
    }

    private void afterInput(SimNode n) {
        if (n.up && !n.readyScheduled && n.raft.hasReady()) {
            n.readyScheduled = true;
            int inc = n.incarnation;
            // The time until the Ready is processed models the fsync: a crash before it loses the state.
            schedule(rnd.nextLong(3), "ready", n.id, null, () -> processReady(n, inc));
        }
    }

    private void processReady(SimNode n, int inc) {
        if (!n.up || n.incarnation != inc) return;
        n.readyScheduled = false;
        Ready rd = n.raft.ready();
        if (opt.flappyLeaders && chaos && rd.softState() != null && rd.softState().role() == Role.LEADER && rnd.nextInt(4) != 0) {
            // Cut fresh leaders off soon after election: the recipe for Figure 8 style histories.
            schedule(rnd.nextInt(25), "isolate", n.id, null, () -> isolate(n.id, 30 + rnd.nextInt(300)));
        }
        // 1. persist (snapshot, entries, hard state) -- "fsync"
        if (rd.snapshot() != null) {
            count("snapshots installed");
            n.disk.applySnapshot(rd.snapshot());
            n.kv = KvStateMachine.restore(rd.snapshot().data());
            for (Iterator<PendingWrite> it = n.writes.values().iterator(); it.hasNext(); ) {
                PendingWrite w = it.next();
                history.add(w.unknown());
                clientDone(w.client, w.opId);
                it.remove();
            }
        }
        if (!rd.entries().isEmpty()) {
            n.disk.append(rd.entries());
            inv.persistedEntries(n, rd.entries());
        }
        if (rd.hardState() != null) {
            inv.persistedHardState(n, n.disk.hardState(), rd.hardState());
            n.disk.setHardState(rd.hardState());
        }
        // 2. only now send
        for (Message m : rd.messages()) send(n, m);
        for (SnapshotSend s : rd.snapshotSends()) {
            if (s.metadata().index() == n.disk.snapshotMetadata().index()) {
                count("snapshots sent");
                send(n, s.toMessage(n.disk.snapshotData()));
            }
        }
        // 3. apply
        for (Entry e : rd.committedEntries()) {
            if (e.index() <= n.kv.applied()) continue;
            n.kv.apply(e);
            inv.applied(n, e);
            PendingWrite w = n.writes.remove(e.index());
            if (w != null) {
                if (e.term() == w.term && KvStateMachine.opIdOf(e) == w.opId) {
                    history.add(new LinearizabilityChecker.Op(w.key, true, w.value, w.invoke, histClock++));
                    count("writes ok");
                } else {
                    count("writes overwritten"); // our entry was replaced: the write definitely did not happen
                }
                clientDone(w.client, w.opId);
            }
            if (n == markerNode && e.index() == markerIndex && e.term() == markerTerm) live = true;
        }
        for (ReadState rs : rd.readStates()) {
            PendingRead r = n.reads.remove(rs.requestContext());
            if (r != null) n.awaitingApply.add(new PendingRead(r.client, r.ctx, r.key, r.invoke, rs.index()));
        }
        for (Iterator<PendingRead> it = n.awaitingApply.iterator(); it.hasNext(); ) {
            PendingRead r = it.next();
            if (n.kv.applied() >= r.index) {
                history.add(new LinearizabilityChecker.Op(r.key, false, n.kv.get(r.key), r.invoke, histClock++));
                count(n.raft.isLeader() ? "reads ok (leader)" : "reads ok (follower)");
                clientDone(r.client, r.ctx);
                it.remove();
            }
        }
        n.raft.advance(rd);
        // 4. compact now and then so lagging and new nodes must catch up by snapshot
        long applied = n.kv.applied();
        if (applied - n.disk.firstIndex() + 1 > opt.compactEvery && applied <= n.disk.lastIndex()) {
            count("compactions");
            SnapshotMetadata meta = n.raft.compact(applied);
            n.disk.compact(meta, n.kv.snapshot());
        }
        afterInput(n);
    }

    // ------------------------------------------------------------------ network

    private void send(SimNode from, Message m) {
        inv.sent(from, m);
        if (m.type == MessageType.TIMEOUT_NOW) count("timeout-now sent");
        if (blocked.contains(m.from * 1000 + m.to) || rnd.nextDouble() < dropRate) return;
        int copies = rnd.nextDouble() < dupRate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long delay = 1 + rnd.nextInt(opt.maxLatency);
            if (chaos && rnd.nextInt(20) == 0) delay += rnd.nextInt(100); // occasional straggler: reordering
            schedule(delay, "deliver", m.to, m, () -> deliver(m));
        }
    }

    private void deliver(Message m) {
        SimNode to = nodes.get(m.to);
        if (to == null || !to.up || blocked.contains(m.from * 1000 + m.to)) return;
        to.raft.step(m);
        afterInput(to);
    }

    // ------------------------------------------------------------------ clients

    /**
     * Each simulated client has at most one operation outstanding (like Jepsen's client processes),
     * which bounds the concurrency the linearizability search must explore. A client moves on when its
     * operation completes, is rejected, or times out (then its outcome is unknown).
     */
    private void clientIssue(int client) {
        if (!chaos) return;
        List<SimNode> up = upNodes();
        if (up.isEmpty()) { clientDone(client, clientBusy[client] = -1); return; }
        int key = rnd.nextInt(keys);
        long opId = nextOpId++;
        clientBusy[client] = opId;
        if (rnd.nextBoolean()) {
            List<SimNode> leaders = up.stream().filter(n -> n.raft.isLeader()).toList();
            SimNode n = !leaders.isEmpty() && rnd.nextInt(5) != 0 ? leaders.get(rnd.nextInt(leaders.size())) : up.get(rnd.nextInt(up.size()));
            try {
                long index = n.raft.propose(KvStateMachine.setCommand(opId, key, opId));
                n.writes.put(index, new PendingWrite(client, opId, key, opId, histClock++, n.raft.term()));
                trace.add(now, "write", n.id, "c" + client + " op" + opId + " k" + key + " @" + index);
                int inc = n.incarnation;
                schedule(CLIENT_TIMEOUT_MS, "timeout", n.id, index, () -> {
                    if (n.incarnation != inc) return;
                    PendingWrite w = n.writes.get(index);
                    if (w != null && w.opId == opId) history.add(n.writes.remove(index).unknown());
                    clientDone(client, opId);
                });
            } catch (ProposalRejectedException e) {
                trace.add(now, "rejected", n.id, e.getMessage());
                clientDone(client, opId);
            }
            afterInput(n);
        } else {
            SimNode n = up.get(rnd.nextInt(up.size()));
            try {
                n.raft.readIndex(opId);
                n.reads.put(opId, new PendingRead(client, opId, key, histClock++, 0));
                trace.add(now, "read", n.id, "c" + client + " op" + opId + " k" + key);
                int inc = n.incarnation;
                schedule(CLIENT_TIMEOUT_MS, "timeout", n.id, opId, () -> {
                    if (n.incarnation != inc) return;
                    n.reads.remove(opId); // a read without answer has no effect: drop it
                    n.awaitingApply.removeIf(r -> r.ctx == opId);
                    clientDone(client, opId);
                });
            } catch (ProposalRejectedException e) {
                trace.add(now, "rejected", n.id, e.getMessage());
                clientDone(client, opId);
            }
            afterInput(n);
        }
    }

    /** The client's operation finished (in any way): think a little, then issue the next one. */
    void clientDone(int client, long opId) {
        if (clientBusy[client] != opId) return;
        clientBusy[client] = 0;
        schedule(1 + rnd.nextInt(20), "client", 0, client, () -> clientIssue(client));
    }

    List<SimNode> upNodes() {
        List<SimNode> out = new ArrayList<>();
        for (SimNode n : nodes.values()) if (n.up) out.add(n);
        return out;
    }

    private SimNode leader() {
        SimNode best = null;
        for (SimNode n : nodes.values()) {
            if (n.up && n.raft.isLeader() && (best == null || n.raft.term() > best.raft.term())) best = n;
        }
        return best;
    }

    // ------------------------------------------------------------------ faults

    private void chaosLoop() {
        if (!chaos) return;
        schedule(10 + rnd.nextInt(opt.chaosInterval), "chaos", 0, null, this::chaosLoop);
        List<Long> ids = new ArrayList<>(nodes.keySet());
        int action = rnd.nextInt(11);
        switch (action) {
            case 0, 1, 8 -> { // crash a node (often the leader), restart it later
                SimNode l = leader();
                SimNode n = action == 8 && l != null ? l : nodes.get(ids.get(rnd.nextInt(ids.size())));
                if (!n.up) return;
                crash(n);
                count("crashes");
                trace.add(now, "CRASH", n.id, null);
                schedule(20 + rnd.nextInt(400), "restart", n.id, null, () -> { if (!n.up && chaos) { start(n); afterInput(n); } });
            }
            case 2 -> { // symmetric partition into two random halves
                Set<Long> side = new HashSet<>();
                for (long id : ids) if (rnd.nextBoolean()) side.add(id);
                for (long a : ids) for (long b : ids) if (side.contains(a) != side.contains(b)) blocked.add(a * 1000 + b);
                trace.add(now, "PARTITION", 0, side.toString());
                count("partitions");
                schedule(100 + rnd.nextInt(800), "heal-net", 0, null, blocked::clear);
            }
            case 3, 9 -> { // isolate the leader (it keeps accepting proposals that cannot commit)
                SimNode l = leader();
                if (l != null) isolate(l.id, 100 + rnd.nextInt(800));
            }
            case 4 -> { // one-way link failure
                long a = ids.get(rnd.nextInt(ids.size())), b = ids.get(rnd.nextInt(ids.size()));
                if (a == b) return;
                blocked.add(a * 1000 + b);
                count("one-way link failures");
                trace.add(now, "ONEWAY", a, "x->" + b);
                schedule(100 + rnd.nextInt(800), "heal-net", 0, null, () -> blocked.remove(a * 1000 + b));
            }
            case 5, 6 -> changeMembership();
            case 7 -> {
                SimNode l = leader();
                if (l == null) return;
                List<Long> voters = new ArrayList<>(l.raft.membership().voters());
                voters.remove(l.id);
                if (voters.isEmpty()) return;
                long target = voters.get(rnd.nextInt(voters.size()));
                boolean started = l.raft.transferLeadership(target);
                if (started) count("transfers started");
                trace.add(now, "TRANSFER", l.id, "to " + target + (started ? "" : " refused"));
                afterInput(l);
            }
            default -> { }
        }
    }

    private void isolate(long id, long forMs) {
        if (!chaos) return;
        for (long b : nodes.keySet()) if (b != id) { blocked.add(id * 1000 + b); blocked.add(b * 1000 + id); }
        trace.add(now, "ISOLATE", id, forMs + "ms");
        count("leader isolations");
        schedule(forMs, "heal-net", id, null, () -> {
            for (long b : nodes.keySet()) { blocked.remove(id * 1000 + b); blocked.remove(b * 1000 + id); }
        });
    }

    private void changeMembership() {
        SimNode l = leader();
        if (l == null) return;
        Membership m = l.raft.membership();
        MembershipChange change;
        int r = rnd.nextInt(4);
        if (r == 0 && nextSpare <= opt.clusterSize + opt.spares) {
            change = MembershipChange.addLearner(nextSpare);
        } else if (r == 1 && !m.learners().isEmpty()) {
            List<Long> ls = new ArrayList<>(m.learners());
            change = MembershipChange.promote(ls.get(rnd.nextInt(ls.size())));
        } else if (r == 2 && m.voters().size() > 1) {
            List<Long> vs = new ArrayList<>(m.voters());
            change = MembershipChange.remove(vs.get(rnd.nextInt(vs.size()))); // may be the leader itself
        } else {
            return;
        }
        try {
            long idx = l.raft.proposeMembershipChange(change);
            trace.add(now, "MEMBERSHIP", l.id, change + " @" + idx);
            count("membership proposed " + change.type() + (change.nodeId() == l.id ? " (leader itself)" : ""));
            if (change.type() == MembershipChange.Type.ADD_LEARNER) {
                SimNode fresh = new SimNode(change.nodeId(), new MemoryRaftStorage(Membership.EMPTY));
                nodes.put(fresh.id, fresh);
                nextSpare++;
                start(fresh);
            }
        } catch (ProposalRejectedException e) {
            trace.add(now, "MEMBERSHIP", l.id, change + " rejected: " + e.getMessage());
        }
        afterInput(l);
    }

    /** End of chaos: reliable network, everyone up; then a leader must commit a new entry. */
    private void healAll() {
        chaos = false;
        blocked.clear();
        dropRate = 0;
        dupRate = 0;
        for (SimNode n : nodes.values()) if (!n.up) { start(n); afterInput(n); }
        schedule(TICK_MS, "liveness", 0, null, this::livenessLoop);
    }

    private void livenessLoop() {
        if (live) return;
        schedule(TICK_MS * 2, "liveness", 0, null, this::livenessLoop);
        SimNode l = leader();
        if (l == null || (markerNode == l && markerTerm == l.raft.term())) return;
        try {
            long opId = nextOpId++;
            markerIndex = l.raft.propose(KvStateMachine.setCommand(opId, 1000, opId));
            markerTerm = l.raft.term();
            markerNode = l;
            trace.add(now, "marker", l.id, "@" + markerIndex);
            afterInput(l);
        } catch (ProposalRejectedException e) {
            // e.g. transfer in flight or removed leader; try again shortly
        }
    }

    public int clusterSize() { return opt.clusterSize(); }

    void count(String what) { stats.merge(what, 1L, Long::sum); }

    public Map<String, Long> stats() { return stats; }

    public long traceHash() { return trace.hash(); }
    public long traceLength() { return trace.count(); }
    public int historySize() { return history.size(); }
    public List<LinearizabilityChecker.Op> history() { return history; }
    /** Runs the cluster but skips the final linearizability check (for debugging the checker). */
    boolean skipCheck;
}
