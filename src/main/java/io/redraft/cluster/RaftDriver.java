package io.redraft.cluster;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.redraft.raft.Entry;
import io.redraft.raft.Membership;
import io.redraft.raft.MembershipChange;
import io.redraft.raft.Message;
import io.redraft.raft.ReadState;
import io.redraft.raft.Role;
import io.redraft.raft.Snapshot;
import io.redraft.raft.SnapshotMetadata;
import io.redraft.raft.SnapshotSend;
import io.redraft.raft.ProposalRejectedException;
import io.redraft.raft.RaftConfig;
import io.redraft.raft.RaftNode;
import io.redraft.raft.Ready;
import io.redraft.raft.log.JournalRaftStorage;
import io.redraft.server.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.SortedMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Drives this node's consensus core: the {@link WritePath} of a node whose writes go through Raft.
 *
 * <p>One thread ("raft", an event loop that also serves the peer port's connections) owns the
 * {@link RaftNode} and its {@link JournalRaftStorage}. Writes arrive from the keyspace thread as
 * proposals and messages from the peers; each run of the loop steps every message and proposes
 * every write that arrived, then carries out the core's Readys in the order their contract
 * demands: append the entries and save the hard state, persist them under {@code raft-fsync}
 * (with {@code always}, this thread fsyncs them itself: it has nothing else to do meanwhile),
 * send the messages, then hand the committed entries to the keyspace thread, which applies them
 * in log order and answers the clients waiting for them. While the loop syncs, new proposals and
 * messages gather and share the next run: that is the group commit.
 *
 * <p>Writes proposed together share one log entry (a batch); the entry remembers its sessions,
 * one per write, under its (index, term). A committed entry at that index
 * with another term means the proposal was overwritten by a new leader: it was never applied,
 * and the client is told so. A write that finds no leader, or is not committed, within
 * {@code raft-request-timeout} fails: {@code CLUSTERDOWN} when it never reached the log, an
 * outcome-unknown error when it did (it may still commit).
 */
public final class RaftDriver implements WritePath, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RaftDriver.class);
    /** A learner this close to the leader's commit index is promoted to voter. */
    private static final long PROMOTION_LAG = 64;
    private static final String NOT_APPLIED =
            "CLUSTERDOWN The write was not applied: the Raft leader changed before it committed";

    /**
     * A write waiting to be proposed: this node's client's (session, or null for internal writes),
     * or a follower's (forwardedFrom != 0), whom the leader tells where the entry went.
     */
    private record Proposal(byte[] data, ClientSession session, long submittedNanos, long forwardedFrom, long requestId) {
        Proposal(byte[] data, ClientSession session, long submittedNanos) {
            this(data, session, submittedNanos, 0, 0);
        }
    }

    /**
     * A proposed entry whose clients wait for it to be applied: one session per part of the
     * entry (a batch has several), null for a part no client here waits for.
     */
    private record Waiter(long term, ClientSession[] sessions, long submittedNanos) { }

    /** An entry forwarded to the leader, waiting to learn its index. */
    private record Forwarded(ClientSession[] sessions, long submittedNanos, long leader) { }

    /** Most writes one log entry carries, and most bytes (a larger write still goes alone). */
    static final int MAX_BATCH_WRITES = 1024;
    static final int MAX_BATCH_BYTES = 256 * 1024;

    private final RaftNode node;
    private final JournalRaftStorage storage;
    private final CommandExecutor executor;
    private final EventLoopGroup loop;
    private final EventLoop thread;
    private final DiskGuard diskGuard;
    private final PeerNetwork network;
    private final ReadBarriers readBarriers;
    private final long tickMillis;
    private final long requestTimeoutNanos;
    private final ConcurrentLinkedQueue<Proposal> inbox = new ConcurrentLinkedQueue<>();
    /**
     * What peers sent and the raft thread has not yet taken in, in arrival order: Raft messages
     * to step and answers to forwarded writes. All of it is taken in before the next Ready is
     * handled, so appends that arrived together share one append and one fsync, and acks that
     * arrived together one commit. One queue keeps a forwarded write's answer ahead of the
     * entries the leader sent after it, so its waiter exists before its entry applies.
     */
    private final ConcurrentLinkedQueue<Runnable> fromPeers = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean runScheduled = new AtomicBoolean();
    // Raft thread only:
    private final ArrayDeque<Proposal> awaitingLeader = new ArrayDeque<>();
    private final ArrayDeque<Long> readsAwaitingLeader = new ArrayDeque<>();
    /** By index, in proposal order (which is index order). */
    private final Map<Long, Waiter> waiters = new LinkedHashMap<>();
    /** By request id, in forwarding order. */
    private final Map<Long, Forwarded> forwarded = new LinkedHashMap<>();
    private long nextRequestId;
    private volatile long leaderId;
    private volatile boolean leader;
    private final CompletableFuture<Long> caughtUp = new CompletableFuture<>();
    private final long startLastIndex;
    private volatile String fatal;
    private final long nodeId;
    private final BooleanSupplier staleReads;
    private final BooleanSupplier leaseReads;
    private volatile Membership membership;
    private volatile boolean closed;

    /**
     * @param applied the index the state machine already holds (from a snapshot), 0 if none
     */
    /**
     * @param loop the one-thread event loop the driver runs on (the raft thread); the peer port
     *             serves its connections on it too, and the driver shuts it down on close
     */
    public RaftDriver(RaftSettings settings, JournalRaftStorage storage, CommandExecutor executor, long applied,
                      PeerNetwork network, EventLoopGroup loop) {
        this.storage = storage;
        this.executor = executor;
        this.network = network;
        this.tickMillis = settings.tickMillis();
        this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMillis());
        this.diskGuard = new DiskGuard(settings.dataDir(), settings.minFreeDisk());
        RaftConfig cfg = RaftConfig.builder(settings.nodeId())
                .electionTicks(settings.electionTicks())
                .heartbeatTicks(settings.heartbeatTicks())
                .seed(System.nanoTime())
                .applied(applied)
                .readOnlyOption(settings.leaseReads().getAsBoolean() ? RaftConfig.ReadOnlyOption.LEASE_BASED : RaftConfig.ReadOnlyOption.SAFE)
                .build();
        this.staleReads = settings.staleReads();
        this.leaseReads = settings.leaseReads();
        this.node = new RaftNode(cfg, storage);
        this.nodeId = settings.nodeId();
        this.membership = node.membership();
        this.startLastIndex = storage.lastIndex();
        this.loop = loop;
        this.thread = loop.next();
        this.readBarriers = new ReadBarriers(executor, this::requestReadIndex);
    }

    /** The id of the leader this node knows of, 0 if none. */
    public long leaderId() {
        return leaderId;
    }

    public boolean isLeader() {
        return leader;
    }

    /**
     * Reads must pass a read barrier (ReadIndex) unless this node is the only voter (then every
     * acknowledged write has been applied here before its reply left, and no other leader exists)
     * or read-consistency is stale.
     */
    @Override
    public ReadBarriers readBarriers() {
        Membership m = membership;
        boolean soleVoter = m.voters().size() == 1 && m.isVoter(nodeId);
        return soleVoter || staleReads.getAsBoolean() ? null : readBarriers;
    }

    /**
     * Starts ticking. A group whose only voter is this node elects itself at once rather than after
     * an election timeout; the future completes once the state machine has applied every entry the
     * log held at start (and the new leader's no-op), i.e. when the node may serve clients. In a
     * bigger group it completes at once.
     */
    public CompletableFuture<Long> start() {
        thread.execute(() -> {
            Membership now = node.membership();
            if (now.voters().size() == 1 && now.isVoter(node.id())) {
                node.campaignNow();
            }
            process();
        });
        thread.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        Membership m = node.membership();
        if (!(m.voters().size() == 1 && m.isVoter(node.id()))) {
            // In a bigger group every read passes a read barrier, which waits for the leader's
            // commit index to be applied here: serving at once is safe.
            caughtUp.complete(0L);
        }
        return caughtUp;
    }

    @Override
    public String refusal() {
        String f = fatal;
        return f != null ? f : diskGuard.refusal();
    }

    /** Keyspace thread: queue a write for the raft thread. */
    @Override
    public void submit(WriteEntry entry, ClientSession session) {
        enqueue(new Proposal(entry.encode(), session, System.nanoTime()));
    }

    private void enqueue(Proposal p) {
        inbox.add(p);
        scheduleProcess();
    }

    private void scheduleProcess() {
        if (runScheduled.compareAndSet(false, true)) {
            thread.execute(this::process);
        }
    }

    /** Peer port: a Raft message for this node. */
    public void onMessage(Message m) {
        fromPeer(() -> node.step(m));
    }

    /** Peer port: a snapshot transfer to a follower ended. */
    public void onSnapshotSent(long to, boolean ok) {
        fromPeer(() -> node.reportSnapshot(to, ok));
    }

    private void fromPeer(Runnable event) {
        fromPeers.add(event);
        scheduleProcess();
    }

    /**
     * Peer port: a follower asks this node (the leader, it thinks) to propose an entry. Queued
     * with local writes, so forwarded writes share proposals and syncs with them.
     */
    public void onForwardedProposal(long from, long requestId, byte[] data) {
        enqueue(new Proposal(data, null, System.nanoTime(), from, requestId));
    }

    /** Peer port: the leader says where a forwarded write went (or that it failed). */
    public void onProposalAnswer(long requestId, long index, long term, String error) {
        fromPeer(() -> {
            Forwarded f = forwarded.remove(requestId);
            if (f == null) {
                return; // already timed out
            }
            if (error != null) {
                executor.applyCommitted(List.of(CommandExecutor.Outcome.failed(f.sessions(), error)), null);
            } else {
                addWaiter(index, new Waiter(term, f.sessions(), f.submittedNanos()));
            }
        });
    }

    /** Every peer address this node has learnt (raft-peers, joins, the address book); raft thread writes. */
    private volatile Map<Long, String> addresses = Map.of();
    private Membership peersFor = Membership.EMPTY;

    /** Addresses learnt from configuration (before the driver starts). */
    public void addresses(Map<Long, String> byId) {
        this.addresses = Map.copyOf(byId);
    }

    /**
     * Keyspace thread: the applied address book changed. Its addresses are learnt, and the peer
     * connections follow the book and the Raft membership together: a node removed from the book
     * stays connected until the membership drops it too (a removed leader must still hand over).
     */
    public void directoryChanged(SortedMap<Long, String> book) {
        thread.execute(() -> {
            Map<Long, String> all = new java.util.HashMap<>(addresses);
            all.putAll(book);
            addresses = Map.copyOf(all);
            syncPeers(true);
        });
    }

    private void syncPeers(boolean force) {
        Membership m = node.membership();
        if (!force && m.equals(peersFor)) {
            return;
        }
        peersFor = m;
        SortedMap<Long, String> book = directory.get();
        Map<Long, String> targets = new java.util.HashMap<>();
        addresses.forEach((id, a) -> {
            if (book.containsKey(id) || m.contains(id) || book.isEmpty()) {
                targets.put(id, a);
            }
        });
        network.updatePeers(targets);
    }

    public String addressOf(long id) {
        return addresses.getOrDefault(id, "?");
    }

    private SnapshotManager snapshots;

    /** Where snapshots come from (leader sends) and go (follower installs). Before start. */
    public void snapshots(SnapshotManager m) {
        this.snapshots = m;
    }

    /** Keyspace thread: the term and membership a snapshot at index (applied here) records. */
    public SnapshotMetadata snapshotMetadataAt(long index) throws IOException {
        try {
            return callCore(() -> node.compact(index), 10);
        } catch (Exception e) {
            throw new IOException("cannot describe a snapshot at index " + index + ": " + e, e);
        }
    }

    /**
     * Calls (from the keyspace thread, or any other) that read or compact the core without
     * driving it: no proposal, no step, no Ready. The raft
     * thread runs them as ordinary tasks, and also while it waits for the keyspace thread to
     * install a leader's snapshot: the keyspace thread may be waiting for one of them before it
     * gets to the install, and each would otherwise stall both threads until its timeout.
     */
    private final ConcurrentLinkedQueue<FutureTask<?>> keyspaceCalls = new ConcurrentLinkedQueue<>();

    private <T> T callCore(Callable<T> call, long timeoutSeconds) throws Exception {
        FutureTask<T> task = new FutureTask<>(call);
        keyspaceCalls.add(task);
        thread.execute(this::runKeyspaceCalls);
        return task.get(timeoutSeconds, TimeUnit.SECONDS);
    }

    /** Raft thread. */
    private void runKeyspaceCalls() {
        for (FutureTask<?> t; (t = keyspaceCalls.poll()) != null; ) {
            t.run();
        }
    }

    /** Any thread: a snapshot at meta.index() is durable; drop the log entries it covers. */
    public void compact(SnapshotMetadata meta) {
        thread.execute(() -> {
            try {
                storage.compact(meta);
            } catch (IOException | RuntimeException e) {
                log.error("compacting the Raft log to index {} failed", meta.index(), e);
            }
        });
    }

    /** The current status, taken on the raft thread (waits for it: for admin commands only). */
    public RaftStatus status() {
        try {
            return callCore(() -> {
                List<RaftStatus.Member> members = new ArrayList<>();
                Membership m = node.membership();
                java.util.TreeSet<Long> ids = new java.util.TreeSet<>(m.voters());
                ids.addAll(m.learners());
                for (long id : ids) {
                    io.redraft.raft.Progress pr = node.progress(id);
                    members.add(new RaftStatus.Member(id, addressOf(id), m.isVoter(id),
                            pr == null ? -1 : pr.match(), pr == null ? -1 : pr.next(),
                            id == nodeId ? "self" : pr == null ? "-" : pr.state().name().toLowerCase()));
                }
                var journal = storage.journal();
                return new RaftStatus(nodeId, node.role(), node.term(), node.leaderId(), node.commitIndex(),
                        node.lastIndex(), storage.snapshotMetadata().index(), journal.durableIndex(),
                        journal.fsyncPolicy().name().toLowerCase(), journal.syncCount(), journal.segmentCount(),
                        m, members, node.readOnlyOption() == RaftConfig.ReadOnlyOption.LEASE_BASED ? "lease" : "readindex",
                        node.leaseReads());
            }, 5);
        } catch (Exception e) {
            throw new IllegalStateException("the raft thread did not answer: " + e, e);
        }
    }

    /**
     * Leader only: hand leadership to target (0 = the most up-to-date other voter). Returns the
     * target, or 0 if the transfer could not start.
     */
    public long transferLeadership(long target) {
        try {
            return thread.submit(() -> {
                long to = target;
                if (to == 0) {
                    long best = -1;
                    for (long v : node.membership().voters()) {
                        io.redraft.raft.Progress pr = node.progress(v);
                        if (v != nodeId && pr != null && pr.match() > best) {
                            best = pr.match();
                            to = v;
                        }
                    }
                }
                boolean started = to != 0 && node.transferLeadership(to);
                process();
                return started ? to : 0L;
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the raft thread did not answer: " + e, e);
        }
    }

    /** Keyspace thread, via {@link ReadBarriers}: start a ReadIndex round with this context. */
    private void requestReadIndex(long context) {
        thread.execute(() -> {
            readsAwaitingLeader.add(context);
            process();
        });
    }

    /**
     * Starts the ReadIndex rounds that wait for a leader to be known. A round that never gets
     * one is failed by {@link ReadBarriers#expire} after raft-request-timeout.
     */
    private void requestAwaitingReads() {
        while (!readsAwaitingLeader.isEmpty() && node.leaderId() != RaftNode.NONE) {
            try {
                node.readIndex(readsAwaitingLeader.peek());
                readsAwaitingLeader.poll();
            } catch (ProposalRejectedException e) {
                return;
            }
        }
    }

    private Supplier<SortedMap<Long, String>> directory = java.util.Collections::emptySortedMap;
    private Map<Long, String> seedAddresses = Map.of();
    private long ticks;
    private long seededInTerm = -1;

    /**
     * The leader makes the Raft membership follow the replicated address book (book), one change
     * at a time. While the book is empty (a cluster just formed from raft-peers) it proposes the
     * configured addresses (seed) as the book's first entry.
     */
    public void followDirectory(Supplier<SortedMap<Long, String>> book, Map<Long, String> seed) {
        this.directory = book;
        this.seedAddresses = Map.copyOf(seed);
    }

    /** Leader, every tick: one step from the current membership towards the book. */
    private void reconcileMembership() {
        if (!node.isLeader() || fatal != null) {
            return;
        }
        SortedMap<Long, String> book = directory.get();
        if (book.isEmpty()) {
            if (!seedAddresses.isEmpty() && node.term() != seededInTerm) {
                seededInTerm = node.term(); // once per term: a lost proposal is retried by the next leader
                List<String> argv = new ArrayList<>(List.of("RAFT.NODE", "INIT"));
                new java.util.TreeMap<>(seedAddresses).forEach((id, a) -> {
                    argv.add(Long.toString(id));
                    argv.add(a);
                });
                enqueue(new Proposal(WriteEntry.internal(argv.toArray(String[]::new)).encode(), null, System.nanoTime()));
            }
            return;
        }
        Membership m = node.membership();
        try {
            for (long id : m.voters()) {
                if (!book.containsKey(id)) {
                    if (id == nodeId) {
                        transferToBestVoter(book); // the next leader removes this node
                    } else {
                        node.proposeMembershipChange(MembershipChange.remove(id));
                    }
                    return;
                }
            }
            for (long id : m.learners()) {
                if (!book.containsKey(id)) {
                    node.proposeMembershipChange(MembershipChange.remove(id));
                    return;
                }
            }
            for (long id : book.keySet()) {
                // Only a node this leader reaches through the handshake becomes a learner: one with
                // the wrong cluster password or id (or not started yet) stays out of the membership.
                if (!m.contains(id) && network.handshakeDone(id)) {
                    node.proposeMembershipChange(MembershipChange.addLearner(id));
                    return;
                }
            }
            for (long id : m.learners()) {
                io.redraft.raft.Progress pr = node.progress(id);
                // REPLICATE: the learner has answered and its log matches. A learner that never
                // answered has match 0, which is "close" to a young cluster's commit index.
                if (pr != null && pr.state() == io.redraft.raft.Progress.State.REPLICATE
                        && node.commitIndex() - pr.match() <= PROMOTION_LAG) {
                    node.proposeMembershipChange(MembershipChange.promote(id));
                    return;
                }
            }
        } catch (ProposalRejectedException e) {
            // a change is still pending, or this term has committed nothing yet: next tick
        }
    }

    private void transferToBestVoter(SortedMap<Long, String> book) {
        long best = 0;
        long bestMatch = -1;
        for (long v : node.membership().voters()) {
            io.redraft.raft.Progress pr = node.progress(v);
            if (v != nodeId && book.containsKey(v) && pr != null && pr.match() > bestMatch) {
                best = v;
                bestMatch = pr.match();
            }
        }
        if (best != 0) {
            node.transferLeadership(best);
        }
    }

    private void tick() {
        ticks++;
        followReadConsistency();
        reconcileMembership();
        diskGuard.check();
        node.tick();
        long now = System.nanoTime();
        expireWaiting(now);
        readBarriers.expire(now, requestTimeoutNanos);
        process();
    }

    /**
     * CONFIG SET read-consistency takes effect here, within a tick. The core decides when a lease
     * may serve reads after a switch to lease (see RaftNode#readOnlyOption).
     */
    private void followReadConsistency() {
        RaftConfig.ReadOnlyOption want = leaseReads.getAsBoolean()
                ? RaftConfig.ReadOnlyOption.LEASE_BASED : RaftConfig.ReadOnlyOption.SAFE;
        if (node.readOnlyOption() != want) {
            node.readOnlyOption(want);
            log.info("Raft: reads on node {} are now confirmed by {}", nodeId,
                    want == RaftConfig.ReadOnlyOption.LEASE_BASED ? "the leader lease" : "ReadIndex rounds");
        }
    }

    /** One run of the loop: propose what arrived, then carry out every Ready. */
    private void process() {
        runScheduled.set(false);
        if (closed) {
            return;
        }
        for (Runnable event; (event = fromPeers.poll()) != null; ) {
            event.run();
        }
        for (Proposal p; (p = inbox.poll()) != null; ) {
            if (p.forwardedFrom() != 0) {
                proposeForwarded(p);
            } else {
                awaitingLeader.add(p);
            }
        }
        proposeAwaiting();
        requestAwaitingReads();
        try {
            while (node.hasReady()) {
                handle(node.ready());
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /**
     * Proposes (or, on a follower, forwards) the writes waiting for a leader, in order. Writes
     * that arrived together go as one log entry ({@link WriteEntry#batch}): one append, one
     * replicated entry and one apply hand-off for a whole pipeline's worth of writes.
     */
    private void proposeAwaiting() {
        while (!awaitingLeader.isEmpty() && fatal == null) {
            if (!node.isLeader() && node.leaderId() == RaftNode.NONE) {
                return; // no leader: wait for one (or for raft-request-timeout)
            }
            int n = gatherBatch();
            byte[] data = n == 1 ? awaitingLeader.peek().data() : WriteEntry.batch(batchData);
            ClientSession[] sessions = batchSessions.toArray(new ClientSession[0]);
            boolean clientWaits = batchSessions.stream().anyMatch(Objects::nonNull);
            long submitted = awaitingLeader.peek().submittedNanos();
            if (node.isLeader()) {
                try {
                    long index = node.propose(data);
                    if (clientWaits) {
                        addWaiter(index, new Waiter(node.term(), sessions, submitted));
                    }
                } catch (ProposalRejectedException e) {
                    return; // transferring leadership or too much uncommitted: the next run tries again
                }
            } else {
                long id = ++nextRequestId;
                if (clientWaits) {
                    forwarded.put(id, new Forwarded(sessions, submitted, node.leaderId()));
                }
                network.forwardProposal(node.leaderId(), id, data);
            }
            for (int i = 0; i < n; i++) {
                awaitingLeader.poll();
            }
        }
    }

    private final List<byte[]> batchData = new ArrayList<>();
    private final List<ClientSession> batchSessions = new ArrayList<>();

    /**
     * Fills batchData and batchSessions with the writes at the head of awaitingLeader that go in
     * one entry, and returns how many: consecutive batchable writes within the batch limits, or
     * the head write alone.
     */
    private int gatherBatch() {
        batchData.clear();
        batchSessions.clear();
        long bytes = 0;
        for (Proposal p : awaitingLeader) {
            boolean batchable = WriteEntry.batchable(p.data());
            if (!batchData.isEmpty() && (!batchable || batchData.size() == MAX_BATCH_WRITES
                    || bytes + p.data().length > MAX_BATCH_BYTES)) {
                break;
            }
            batchData.add(p.data());
            batchSessions.add(p.session());
            bytes += p.data().length;
            if (!batchable) {
                break;
            }
        }
        return batchData.size();
    }

    /** A follower's write: propose it if this node leads, and tell the follower where it went. */
    private void proposeForwarded(Proposal p) {
        String error = refusal();
        long index = 0;
        long term = 0;
        if (error == null) {
            try {
                index = node.propose(p.data());
                term = node.term();
            } catch (ProposalRejectedException e) {
                error = "TRYAGAIN The write reached a node that is not the Raft leader; it was not applied";
            }
        }
        network.answerProposal(p.forwardedFrom(), p.requestId(), index, term, error);
    }

    private void addWaiter(long index, Waiter w) {
        Waiter old = waiters.put(index, w);
        if (old != null) {
            // A newer leader's entry took this index: the earlier write here was overwritten.
            executor.applyCommitted(List.of(CommandExecutor.Outcome.failed(old.sessions(), NOT_APPLIED)), null);
        }
    }

    private void handle(Ready rd) throws IOException {
        if (rd.snapshot() != null) {
            installSnapshot(rd.snapshot());
        }
        storage.append(rd.entries());
        if (rd.hardState() != null) {
            storage.saveHardState(rd.hardState());
        }
        List<Message> afterSync = rd.messages();
        List<Entry> committed = rd.committedEntries();
        int early = rd.committedBeforeSync();
        if (early > 0) {
            deliver(committed.subList(0, early)); // durable here already: no need to wait for this sync
        }
        for (ReadState rs : rd.readStates()) {
            readBarriers.roundReady(rs.requestContext(), rs.index());
        }
        if (!rd.entries().isEmpty()) {
            // This thread steps nothing until the sync is done, which Ready.mayLeaveBeforeSync needs.
            afterSync = new ArrayList<>();
            for (Message m : rd.messages()) {
                if (rd.mayLeaveBeforeSync(m)) {
                    network.send(m);
                } else {
                    afterSync.add(m);
                }
            }
            // This thread has nothing to do but wait for the sync, so it fsyncs itself: no hand-off.
            storage.persist(rd.entries().get(rd.entries().size() - 1).index());
        }
        for (Message m : afterSync) {
            network.send(m);
        }
        for (SnapshotSend send : rd.snapshotSends()) {
            byte[] data = snapshots == null ? null : snapshots.readFor(send.metadata().index());
            if (data == null) {
                node.reportSnapshot(send.to(), false); // replaced meanwhile: Raft asks again
            } else {
                log.info("Sending the snapshot at index {} ({} bytes) to node {}", send.metadata().index(), data.length, send.to());
                network.send(send.toMessage(data));
            }
        }
        if (early < committed.size()) {
            deliver(committed.subList(early, committed.size()));
        }
        if (rd.softState() != null) {
            leaderId = rd.softState().leaderId();
            leader = rd.softState().role() == Role.LEADER;
            failForwardsToLostLeader();
            if (leader) {
                thread.execute(this::reconcileMembership); // seed the address book without waiting a tick
            }
            log.info("Raft: node {} is now {} in term {}; leader is {}", nodeId, rd.softState().role(), node.term(),
                    leaderId == RaftNode.NONE ? "unknown" : leaderId);
        }
        membership = node.membership();
        syncPeers(false);
        node.advance(rd);
    }

    /**
     * A follower too far behind got the leader's snapshot: the keyspace is replaced (and the file
     * made durable) before the log is reset to it. Writes waiting for entries it covers cannot
     * learn their replies: their outcome is unknown.
     */
    private void installSnapshot(Snapshot snap) throws IOException {
        if (snapshots == null) {
            throw new IOException("this node cannot install snapshots");
        }
        try {
            java.util.concurrent.Future<?> installed = executor.thread().submit(() -> {
                snapshots.install(snap);
                return null;
            });
            while (true) {
                runKeyspaceCalls(); // what the keyspace thread may wait for before it gets to the install
                try {
                    installed.get(5, TimeUnit.MILLISECONDS);
                    break;
                } catch (java.util.concurrent.TimeoutException notYet) {
                    // keep answering
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted installing a snapshot", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        storage.applySnapshot(snap.metadata());
        List<CommandExecutor.Outcome> unknown = new ArrayList<>();
        for (Iterator<Map.Entry<Long, Waiter>> it = waiters.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Waiter> w = it.next();
            if (w.getKey() <= snap.metadata().index()) {
                it.remove();
                unknown.add(CommandExecutor.Outcome.failed(w.getValue().sessions(),
                        "TIMEOUT The write's outcome is unknown: this node caught up from a snapshot"));
            }
        }
        if (!unknown.isEmpty()) {
            executor.applyCommitted(unknown, null);
        }
    }

    /** Hands committed entries, each with the client waiting for it (if any), to the keyspace thread. */
    private void deliver(List<Entry> committed) {
        List<CommandExecutor.Outcome> batch = new ArrayList<>(committed.size());
        for (Entry e : committed) {
            Waiter w = waiters.remove(e.index());
            ClientSession[] sessions = null;
            if (w != null) {
                if (w.term() == e.term()) {
                    sessions = w.sessions();
                } else {
                    // Another leader's entry took this index: ours never reached a quorum.
                    batch.add(CommandExecutor.Outcome.failed(w.sessions(), NOT_APPLIED));
                }
            }
            batch.add(CommandExecutor.Outcome.applied(e, sessions));
        }
        long last = committed.get(committed.size() - 1).index();
        boolean caughtUpNow = !caughtUp.isDone() && last >= startLastIndex && node.isLeader()
                && node.termAt(last) == node.term();
        executor.applyCommitted(batch, caughtUpNow ? caughtUp : null);
    }

    /** Fails writes that waited longer than raft-request-timeout for a leader or a commit. */
    private void expireWaiting(long now) {
        List<CommandExecutor.Outcome> failed = new ArrayList<>();
        // Proposed writes first: they were submitted before any write still waiting for a leader.
        for (Iterator<Map.Entry<Long, Waiter>> it = waiters.entrySet().iterator(); it.hasNext(); ) {
            Waiter w = it.next().getValue();
            if (now - w.submittedNanos() > requestTimeoutNanos) {
                it.remove();
                failed.add(CommandExecutor.Outcome.failed(w.sessions(), "TIMEOUT The write's outcome is unknown:"
                        + " it reached the Raft log but did not commit within raft-request-timeout; it may still be applied"));
            }
        }
        for (Iterator<Forwarded> it = forwarded.values().iterator(); it.hasNext(); ) {
            Forwarded f = it.next();
            if (now - f.submittedNanos() > requestTimeoutNanos) {
                it.remove();
                failed.add(CommandExecutor.Outcome.failed(f.sessions(), "TIMEOUT The write's outcome is unknown:"
                        + " it was sent to the Raft leader, which did not answer within raft-request-timeout"));
            }
        }
        while (!awaitingLeader.isEmpty() && now - awaitingLeader.peek().submittedNanos() > requestTimeoutNanos) {
            Proposal p = awaitingLeader.poll();
            if (p.session() != null) {
                failed.add(CommandExecutor.Outcome.failed(p.session(),
                        "CLUSTERDOWN No Raft leader: the write was not applied (raft-request-timeout)"));
            }
        }
        if (!failed.isEmpty()) {
            executor.applyCommitted(failed, null);
        }
    }

    /**
     * The leader a write was forwarded to is no longer the leader (it died, or lost an election)
     * and never said where the write went: its client learns at once that the outcome is unknown,
     * rather than after raft-request-timeout, so it can retry against the new leader. Only a
     * session none of whose writes is waiting for its commit here is told now: replies must leave
     * in the order the writes came, and such a waiting write came earlier. Forwards are in
     * request order, so a session's failed writes are answered oldest first; the others time out.
     */
    private void failForwardsToLostLeader() {
        if (forwarded.isEmpty()) {
            return;
        }
        Set<ClientSession> waiting = Collections.newSetFromMap(new IdentityHashMap<>());
        waiters.values().forEach(w -> Arrays.stream(w.sessions()).filter(Objects::nonNull).forEach(waiting::add));
        List<CommandExecutor.Outcome> failed = new ArrayList<>();
        for (Iterator<Forwarded> it = forwarded.values().iterator(); it.hasNext(); ) {
            Forwarded f = it.next();
            if (f.leader() != leaderId && Arrays.stream(f.sessions()).noneMatch(waiting::contains)) {
                it.remove();
                failed.add(CommandExecutor.Outcome.failed(f.sessions(), "TIMEOUT The write's outcome is unknown:"
                        + " the Raft leader it was sent to lost its leadership before answering; it may still be applied"));
            }
        }
        if (!failed.isEmpty()) {
            executor.applyCommitted(failed, null);
        }
    }

    /**
     * The log cannot be written: stop taking writes until the node restarts. Writes already
     * proposed have an unknown outcome (an entry may be on disk), so their clients are told so.
     */
    private void fail(Exception e) {
        if (fatal != null) {
            return;
        }
        log.error("Raft log failure; writes are refused until this node restarts", e);
        fatal = "MISCONF Redraft cannot write its Raft log (" + e.getMessage()
                + "); writes are refused until the node restarts. Reads still work.";
        List<CommandExecutor.Outcome> failed = new ArrayList<>();
        waiters.values().forEach(w -> failed.add(CommandExecutor.Outcome.failed(w.sessions(),
                "TIMEOUT The write's outcome is unknown: the Raft log failed after it was proposed")));
        waiters.clear();
        forwarded.values().forEach(f -> failed.add(CommandExecutor.Outcome.failed(f.sessions(),
                "TIMEOUT The write's outcome is unknown: the Raft log failed after it was forwarded")));
        forwarded.clear();
        for (Proposal p; (p = awaitingLeader.poll()) != null; ) {
            if (p.session() != null) {
                failed.add(CommandExecutor.Outcome.failed(p.session(), fatal));
            }
        }
        executor.applyCommitted(failed, null);
    }

    /** Stops the loop and closes the log (synced). Writes still in flight are left unanswered. */
    @Override
    public void close() {
        try {
            thread.submit(() -> closed = true).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("raft thread did not stop in time: {}", e.toString());
        }
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        try {
            storage.close();
        } catch (IOException e) {
            log.error("closing the Raft log failed", e);
        }
    }
}
