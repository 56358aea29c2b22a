package io.redraft.cluster;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.redraft.raft.Entry;
import io.redraft.raft.Membership;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drives this node's consensus core: the {@link WritePath} of a node whose writes go through Raft.
 *
 * <p>One thread ("raft") owns the {@link RaftNode} and its {@link JournalRaftStorage}. Writes
 * arrive from the keyspace thread as proposals; each run of the loop proposes all of them and then
 * carries out the core's Readys in the order their contract demands: append the entries and save
 * the hard state, wait until they are persisted under {@code raft-fsync} (with {@code always}, the
 * journal's sync thread covers every entry appended meanwhile with one fsync), send the messages,
 * then hand the committed entries to the keyspace thread, which applies them in log order and
 * answers the clients waiting for them. While the loop waits for a sync, new proposals gather in
 * the inbox and share the next one: that is the group commit.
 *
 * <p>A proposal remembers its session under its (index, term). A committed entry at that index
 * with another term means the proposal was overwritten by a new leader: it was never applied,
 * and the client is told so. A write that finds no leader, or is not committed, within
 * {@code raft-request-timeout} fails: {@code CLUSTERDOWN} when it never reached the log, an
 * outcome-unknown error when it did (it may still commit).
 */
public final class RaftDriver implements WritePath, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RaftDriver.class);
    private static final String NOT_APPLIED =
            "CLUSTERDOWN The write was not applied: the Raft leader changed before it committed";

    /** A write waiting to be proposed. */
    private record Proposal(byte[] data, ClientSession session, long submittedNanos) { }

    /** A proposed write whose client waits for the entry at its index to be applied. */
    private record Waiter(long term, ClientSession session, long submittedNanos) { }

    private final RaftNode node;
    private final JournalRaftStorage storage;
    private final CommandExecutor executor;
    private final EventExecutor thread;
    private final DiskGuard diskGuard;
    private final long tickMillis;
    private final long requestTimeoutNanos;
    private final ConcurrentLinkedQueue<Proposal> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean runScheduled = new AtomicBoolean();
    // Raft thread only:
    private final ArrayDeque<Proposal> awaitingLeader = new ArrayDeque<>();
    /** By index, in proposal order (which is index order). */
    private final Map<Long, Waiter> waiters = new LinkedHashMap<>();
    private final CompletableFuture<Long> caughtUp = new CompletableFuture<>();
    private final long startLastIndex;
    private volatile String fatal;
    private volatile boolean closed;

    /**
     * @param applied the index the state machine already holds (from a snapshot), 0 if none
     */
    public RaftDriver(RaftSettings settings, JournalRaftStorage storage, CommandExecutor executor, long applied) {
        this.storage = storage;
        this.executor = executor;
        this.tickMillis = settings.tickMillis();
        this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMillis());
        this.diskGuard = new DiskGuard(settings.dataDir(), settings.minFreeDisk());
        RaftConfig cfg = RaftConfig.builder(settings.nodeId())
                .electionTicks(settings.electionTicks())
                .heartbeatTicks(settings.heartbeatTicks())
                .seed(System.nanoTime())
                .applied(applied)
                .build();
        this.node = new RaftNode(cfg, storage);
        this.startLastIndex = storage.lastIndex();
        this.thread = new DefaultEventExecutor(new DefaultThreadFactory("raft", true));
    }

    /**
     * Starts ticking. A group whose only voter is this node elects itself at once rather than after
     * an election timeout. The future completes once the state machine has applied every entry the
     * log held at start (and the new leader's no-op), i.e. when the node may serve clients.
     */
    public CompletableFuture<Long> start() {
        thread.execute(() -> {
            Membership m = node.membership();
            if (m.voters().size() == 1 && m.isVoter(node.id())) {
                node.campaignNow();
            }
            process();
        });
        thread.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        if (startLastIndex == 0 && node.membership().voters().size() > 1) {
            caughtUp.complete(0L); // a fresh member of a bigger group serves once it hears a leader
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
        inbox.add(new Proposal(entry.encode(), session, System.nanoTime()));
        if (runScheduled.compareAndSet(false, true)) {
            thread.execute(this::process);
        }
    }

    private void tick() {
        diskGuard.check();
        node.tick();
        expireWaiting(System.nanoTime());
        process();
    }

    /** One run of the loop: propose what arrived, then carry out every Ready. */
    private void process() {
        runScheduled.set(false);
        if (closed) {
            return;
        }
        for (Proposal p; (p = inbox.poll()) != null; ) {
            awaitingLeader.add(p);
        }
        proposeAwaiting();
        try {
            while (node.hasReady()) {
                handle(node.ready());
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void proposeAwaiting() {
        while (!awaitingLeader.isEmpty() && node.isLeader() && fatal == null) {
            Proposal p = awaitingLeader.peek();
            try {
                long index = node.propose(p.data());
                if (p.session() != null) {
                    Waiter old = waiters.put(index, new Waiter(node.term(), p.session(), p.submittedNanos()));
                    if (old != null) {
                        // This node lost and regained leadership: its earlier entry here was overwritten.
                        executor.applyCommitted(List.of(CommandExecutor.Outcome.failed(old.session(), NOT_APPLIED)), null);
                    }
                }
                awaitingLeader.poll();
            } catch (ProposalRejectedException e) {
                if (e.reason() == ProposalRejectedException.Reason.UNCOMMITTED_LIMIT) {
                    return; // the leader is behind on commits: the next run tries again
                }
                return; // not leader or transferring: wait for a leader
            }
        }
    }

    private void handle(Ready rd) throws IOException {
        if (rd.snapshot() != null) {
            throw new IOException("installing a snapshot from a leader is not supported by this node");
        }
        storage.append(rd.entries());
        if (rd.hardState() != null) {
            storage.saveHardState(rd.hardState());
        }
        if (!rd.entries().isEmpty()) {
            awaitPersisted(rd.entries().get(rd.entries().size() - 1).index());
        }
        // Messages go out here once the peer port exists; a group of one has none.
        if (!rd.committedEntries().isEmpty()) {
            deliver(rd.committedEntries());
        }
        node.advance(rd);
    }

    private void awaitPersisted(long index) throws IOException {
        try {
            storage.whenPersisted(index).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the Raft log to sync", e);
        }
    }

    /** Hands committed entries, each with the client waiting for it (if any), to the keyspace thread. */
    private void deliver(List<Entry> committed) {
        List<CommandExecutor.Outcome> batch = new ArrayList<>(committed.size());
        for (Entry e : committed) {
            Waiter w = waiters.remove(e.index());
            ClientSession session = null;
            if (w != null) {
                if (w.term() == e.term()) {
                    session = w.session();
                } else {
                    // Another leader's entry took this index: ours never reached a quorum.
                    batch.add(CommandExecutor.Outcome.failed(w.session(), NOT_APPLIED));
                }
            }
            batch.add(CommandExecutor.Outcome.applied(e, session));
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
                failed.add(CommandExecutor.Outcome.failed(w.session(), "TIMEOUT The write's outcome is unknown:"
                        + " it reached the Raft log but did not commit within raft-request-timeout; it may still be applied"));
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
        waiters.values().forEach(w -> failed.add(CommandExecutor.Outcome.failed(w.session(),
                "TIMEOUT The write's outcome is unknown: the Raft log failed after it was proposed")));
        waiters.clear();
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
        thread.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        try {
            storage.close();
        } catch (IOException e) {
            log.error("closing the Raft log failed", e);
        }
    }
}
