package io.redraft.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A tiny synchronous harness for scripted scenarios and unit tests: nodes exchange messages through
 * a FIFO queue that the test drains explicitly with {@link #stabilize()}, links can be cut, nodes can
 * crash (keeping only persisted state) and restart. Every Ready is processed by the book: persist,
 * then send, then apply.
 */
final class TestCluster {
    final TreeMap<Long, RaftNode> nodes = new TreeMap<>();
    final TreeMap<Long, MemoryRaftStorage> disks = new TreeMap<>();
    final Map<Long, List<Entry>> applied = new HashMap<>();
    final Map<Long, List<ReadState>> reads = new HashMap<>();
    final ArrayDeque<Message> wire = new ArrayDeque<>();
    final List<Message> sentLog = new ArrayList<>();
    private final Set<Long> blocked = new HashSet<>();
    private final Consumer<RaftConfig.Builder> tweak;
    /** Messages matching this are silently dropped (in addition to cut links). */
    Predicate<Message> drop = m -> false;
    private int restarts;

    TestCluster(int n) { this(n, b -> { }); }

    TestCluster(int n, Consumer<RaftConfig.Builder> tweak) {
        this.tweak = tweak;
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = i + 1;
        Membership m = Membership.ofVoters(ids);
        for (long id : ids) {
            disks.put(id, new MemoryRaftStorage(m));
            start(id);
        }
    }

    void addNode(long id) {
        disks.put(id, new MemoryRaftStorage(Membership.EMPTY));
        start(id);
    }

    private void start(long id) {
        MemoryRaftStorage d = disks.get(id);
        RaftConfig.Builder b = RaftConfig.builder(id).electionTicks(10).heartbeatTicks(1).seed(id * 7919 + restarts++)
                .applied(d.snapshotMetadata().index());
        tweak.accept(b);
        nodes.put(id, new RaftNode(b.build(), d));
        applied.put(id, new ArrayList<>());
        reads.put(id, new ArrayList<>());
    }

    RaftNode node(long id) { return nodes.get(id); }

    void crash(long id) { nodes.remove(id); }

    void restart(long id) { start(id); }

    /** Cut all links to and from id. */
    void isolate(long id) {
        for (long o : disks.keySet()) if (o != id) { cut(id, o); cut(o, id); }
    }

    void cut(long from, long to) { blocked.add(from * 1000 + to); }

    void heal() { blocked.clear(); }

    /** Process one node's Ready: persist, then send, then apply. */
    void processReady(long id) {
        RaftNode n = nodes.get(id);
        MemoryRaftStorage d = disks.get(id);
        Ready rd = n.ready();
        if (rd.snapshot() != null) d.applySnapshot(rd.snapshot());
        d.append(rd.entries());
        if (rd.hardState() != null) d.setHardState(rd.hardState());
        for (Message m : rd.messages()) send(m);
        for (SnapshotSend s : rd.snapshotSends()) send(s.toMessage(new byte[0]));
        applied.get(id).addAll(rd.committedEntries());
        reads.get(id).addAll(rd.readStates());
        n.advance(rd);
    }

    private void send(Message m) {
        sentLog.add(m);
        if (blocked.contains(m.from * 1000 + m.to) || drop.test(m)) return;
        wire.add(m);
    }

    /** Process Readies and deliver messages until nothing moves. */
    void stabilize() {
        for (int round = 0; round < 10_000; round++) {
            boolean any = false;
            for (long id : new ArrayList<>(nodes.keySet())) {
                while (nodes.containsKey(id) && nodes.get(id).hasReady()) { processReady(id); any = true; }
            }
            while (!wire.isEmpty()) {
                Message m = wire.poll();
                RaftNode to = nodes.get(m.to);
                if (to != null && !blocked.contains(m.from * 1000 + m.to)) to.step(m);
                any = true;
            }
            if (!any) return;
        }
        throw new AssertionError("cluster did not stabilize");
    }

    void tick(long id, int times) {
        for (int i = 0; i < times; i++) {
            nodes.get(id).tick();
            stabilize();
        }
    }

    void tickAll(int times) {
        for (int i = 0; i < times; i++) {
            for (RaftNode n : nodes.values()) n.tick();
            stabilize();
        }
    }

    /** Make id campaign by ticking only it past its election timeout. */
    void campaign(long id) {
        RaftNode n = nodes.get(id);
        for (int i = 0; i < 40 && n.role() != Role.CANDIDATE && n.role() != Role.LEADER; i++) {
            n.tick();
            stabilize();
        }
    }

    /**
     * Script helper: make follower id campaign now, as if told by a leadership transfer (TimeoutNow:
     * no pre-vote, and voters ignore their leader lease).
     */
    void elect(long id) {
        RaftNode n = nodes.get(id);
        n.step(Message.builder(MessageType.TIMEOUT_NOW, id, id, n.term()).build());
        stabilize();
    }

    RaftNode leader() {
        RaftNode best = null;
        for (RaftNode n : nodes.values()) if (n.isLeader() && (best == null || n.term() > best.term())) best = n;
        return best;
    }

    long propose(long id, String data) {
        try {
            long idx = nodes.get(id).propose(data.getBytes());
            return idx;
        } catch (ProposalRejectedException e) {
            throw new AssertionError(e);
        }
    }

    boolean appliedData(long id, String data) {
        for (Entry e : applied.get(id)) if (new String(e.data()).equals(data)) return true;
        return false;
    }
}
