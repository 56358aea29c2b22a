package io.redraft.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A pure, single-threaded Raft state machine in the style of etcd-io/raft. It performs no I/O,
 * starts no threads and reads no clock; its only inputs are method calls and its only outputs are
 * {@link Ready} batches. Not thread-safe: the driver must serialize all calls.
 *
 * <h2>Driver loop</h2>
 * <pre>
 *   loop:
 *     on timer      -> node.tick()
 *     on message    -> node.step(msg)
 *     on client     -> node.propose(data) / node.readIndex(ctx) / ...
 *     if node.hasReady():
 *       rd = node.ready()
 *       install rd.snapshot(); persist rd.entries() and rd.hardState(); fsync
 *       send rd.messages() and rd.snapshotSends()       // only after the fsync!
 *       apply rd.committedEntries(); serve rd.readStates() once applied
 *       storage reflects what was persisted; node.advance(rd)
 * </pre>
 *
 * <h2>Membership changes</h2>
 * Single-server changes (dissertation §4.1) rather than joint consensus: any majority of C_old and
 * any majority of C_new (differing by one voter) intersect, so no two leaders can be elected even
 * though a configuration takes effect as soon as its entry is appended, on every node. This needs
 * only one configuration at a time, which keeps vote counting, commit counting and the read-index
 * quorum trivially simple; the price is that changes go one at a time (only one uncommitted change
 * may be in flight) and a leader must first commit an entry of its own term (the fix for the bug
 * reported on raft-dev in 2015). Adding a node goes learner -> catch up -> promote, so an empty new
 * voter never stalls commits.
 */
public final class RaftNode {
    public static final long NONE = 0;

    private enum CampaignType { PRE_ELECTION, ELECTION, TRANSFER }

    private final RaftConfig cfg;
    private final long id;
    private final RaftStorage storage;
    private final RaftLog log;
    private final MembershipLog membershipLog;
    private final ProgressTracker tracker;
    private final SplittableRandom random;

    private long term;
    private long vote;
    private long lead = NONE;
    private Role role = Role.FOLLOWER;

    private int electionElapsed;
    private int heartbeatElapsed;
    private int randomizedElectionTimeout;

    /** Leader only: node we are transferring leadership to, or NONE. */
    private long leadTransferee = NONE;
    /** Leader only: bytes of NORMAL entries appended in this term and not yet handed out as committed. */
    private long uncommittedSize;
    /** Leader only: entries were appended since the last broadcast; batched into one append per follower. */
    private boolean needsBroadcast;
    private ReadOnlyQueue readOnly = new ReadOnlyQueue();
    /** Ticks since this node started; the leader's lease clock. */
    private long tickCount;
    /**
     * Set once we send TimeoutNow in this term: the target campaigns with {@code force}, which voters
     * honour despite their lease, so from then on our lease proves nothing (the message may even
     * arrive after the transfer was abandoned). Cleared when a new term starts.
     */
    private boolean leaseForfeited;
    /**
     * LEASE_BASED only (the option this node started with): a node that just (re)started may have
     * promised a leader not to vote before it crashed; it keeps that promise by refusing votes for
     * its first election timeout. A leader switched to lease reads at run time counts on this too,
     * so lease reads are only fully safe when every voter was started in lease mode (the
     * operator's documentation says so).
     */
    private boolean startupLease;
    /** The read option in force: the configured one until {@link #readOnlyOption(RaftConfig.ReadOnlyOption)} changes it. */
    private RaftConfig.ReadOnlyOption readOption;
    /** LEASE_BASED: the first heartbeat round of this term that may prove a lease (see readOnlyOption). */
    private long leaseFloorRound;
    /** Read requests answered from the lease (no heartbeat round), for metrics and tests. */
    private long leaseReads;
    /** Leader only: read requests waiting for the first commit of this term (context, from). */
    private final List<long[]> readsBeforeFirstCommit = new ArrayList<>();

    private List<Message> msgs = new ArrayList<>();
    private List<SnapshotSend> snapshotSends = new ArrayList<>();
    private List<ReadState> readStates = new ArrayList<>();
    private SoftState prevSoftState;
    private HardState prevHardState;

    public RaftNode(RaftConfig cfg, RaftStorage storage) {
        this.cfg = cfg;
        this.id = cfg.id();
        this.storage = storage;
        this.random = new SplittableRandom(cfg.seed());
        this.log = new RaftLog(storage, cfg.applied());
        this.tracker = new ProgressTracker(cfg.maxInflightMsgs(), cfg.maxInflightBytes());
        SnapshotMetadata snap = storage.snapshotMetadata();
        this.membershipLog = new MembershipLog(snap.index(), snap.membership());
        // Configurations take effect when appended, so replay every membership entry we hold.
        for (long i = storage.firstIndex(); i <= storage.lastIndex(); ) {
            List<Entry> batch = storage.entries(i, storage.lastIndex() + 1, 1 << 20);
            for (Entry e : batch) membershipLog.appended(e);
            i += batch.size();
        }
        tracker.setMembership(membershipLog.current(), log.lastIndex() + 1);
        HardState hs = storage.hardState();
        this.term = hs.term();
        this.vote = hs.vote();
        this.prevHardState = hs;
        becomeFollower(term, NONE);
        this.readOption = cfg.readOnlyOption();
        this.startupLease = cfg.readOnlyOption() == RaftConfig.ReadOnlyOption.LEASE_BASED;
        this.prevSoftState = new SoftState(NONE, Role.FOLLOWER);
    }

    // ------------------------------------------------------------------ accessors

    public long id() { return id; }
    public long term() { return term; }
    public long vote() { return vote; }
    public long leaderId() { return lead; }
    public Role role() { return role; }
    public boolean isLeader() { return role == Role.LEADER; }
    public long commitIndex() { return log.committed; }
    public long appliedIndex() { return log.applied; }
    public long firstIndex() { return log.firstIndex(); }
    public long lastIndex() { return log.lastIndex(); }
    /** Term of the entry at index in this node's log (including unstable entries); 0 beyond the end, -1 if compacted. */
    public long termAt(long index) { return log.term(index); }
    public Membership membership() { return tracker.membership(); }
    /** Leader's progress for a peer (for tests and metrics); null if unknown. */
    public Progress progress(long peer) { return role == Role.LEADER ? tracker.get(peer) : null; }
    public long leadTransferee() { return leadTransferee; }
    public RaftConfig.ReadOnlyOption readOnlyOption() { return readOption; }
    public long leaseReads() { return leaseReads; }

    /**
     * Switches how reads are confirmed, at run time. Going to SAFE is immediate. Going to
     * LEASE_BASED, no read is answered from the lease until a heartbeat round sent after the switch
     * has been acked by a quorum; meanwhile reads take the ReadIndex path. Rounds acked before the
     * switch would in fact be sound (a follower's promise not to vote comes from checkQuorum, which
     * holds in every mode), but requiring a fresh one costs a heartbeat interval
     * once and keeps the argument of leaseValid free of a case for mode changes: a lease is only
     * ever proved by rounds sent while the leader was in lease mode. A new term starts its rounds
     * afresh, all under the mode in force, so the floor resets with them.
     */
    public void readOnlyOption(RaftConfig.ReadOnlyOption option) {
        if (option == readOption) return;
        if (option == RaftConfig.ReadOnlyOption.LEASE_BASED && !cfg.checkQuorum()) {
            throw new IllegalArgumentException("LEASE_BASED reads require checkQuorum");
        }
        if (option == RaftConfig.ReadOnlyOption.LEASE_BASED) leaseFloorRound = readOnly.lastSentRound() + 1;
        readOption = option;
    }

    // ------------------------------------------------------------------ inputs

    /** Advance logical time by one tick. */
    public void tick() {
        tickCount++;
        if (role == Role.LEADER) tickLeader();
        else tickElection();
    }

    /**
     * Start an election now, as if the election timeout had elapsed. Always safe (elections are);
     * a driver calls it when waiting would only delay service, e.g. a group of one voter starting.
     */
    public void campaignNow() {
        if (role == Role.LEADER) return;
        electionElapsed = 0;
        startupLease = false;
        campaign(cfg.preVote() ? CampaignType.PRE_ELECTION : CampaignType.ELECTION);
    }

    /** Propose a state-machine command. Returns the index it was appended at (in the current term). */
    public long propose(byte[] data) throws ProposalRejectedException {
        checkCanPropose();
        long size = data.length + 24L;
        if (uncommittedSize > 0 && uncommittedSize + size > cfg.maxUncommittedEntriesSize()) {
            throw new ProposalRejectedException(ProposalRejectedException.Reason.UNCOMMITTED_LIMIT, id,
                    uncommittedSize + " uncommitted bytes");
        }
        uncommittedSize += size;
        return appendEntry(Entry.Type.NORMAL, data);
    }

    /** Propose a single-server membership change. Returns the index of the membership entry. */
    public long proposeMembershipChange(MembershipChange change) throws ProposalRejectedException {
        checkCanPropose();
        if (!committedInCurrentTerm()) {
            throw new ProposalRejectedException(ProposalRejectedException.Reason.LEADER_NOT_READY, id, "no entry of term " + term + " committed yet");
        }
        if (membershipLog.currentIndex() > log.committed) {
            throw new ProposalRejectedException(ProposalRejectedException.Reason.MEMBERSHIP_CHANGE_PENDING, id,
                    "change at index " + membershipLog.currentIndex() + " not committed");
        }
        Membership next;
        try {
            next = tracker.membership().apply(change);
        } catch (IllegalArgumentException e) {
            throw new ProposalRejectedException(ProposalRejectedException.Reason.INVALID_MEMBERSHIP_CHANGE, id, e.getMessage());
        }
        return appendEntry(Entry.Type.MEMBERSHIP, next.encode());
    }

    /**
     * Request a linearizable read. The answer arrives as a {@link ReadState} with the same context in
     * a later Ready (possibly never, e.g. if leadership changes; the driver should time out and retry).
     * On a follower the request is forwarded to the leader.
     */
    public void readIndex(long requestContext) throws ProposalRejectedException {
        if (role == Role.LEADER) {
            handleReadIndex(id, requestContext);
        } else if (lead != NONE) {
            send(Message.builder(MessageType.READ_INDEX, id, lead, term).context(requestContext).build());
        } else {
            throw new ProposalRejectedException(ProposalRejectedException.Reason.NOT_LEADER, NONE, "no known leader");
        }
    }

    /**
     * Leader only: hand leadership to {@code target} (a voter). The target is brought up to date and
     * then told to campaign at once; proposals are refused meanwhile. The attempt is abandoned after
     * an election timeout. Returns false if not started.
     */
    public boolean transferLeadership(long target) {
        if (role != Role.LEADER || target == id || !tracker.membership().isVoter(target)) return false;
        if (leadTransferee == target) return true;
        abortLeaderTransfer();
        electionElapsed = 0; // the transfer must finish within one election timeout
        leadTransferee = target;
        Progress pr = tracker.get(target);
        if (pr.match == log.lastIndex()) sendTimeoutNow(target);
        else sendAppend(target);
        return true;
    }

    /**
     * The driver took a state-machine snapshot at {@code index} (<= applied index). Returns the
     * metadata to store with it; the driver then compacts its storage (drops entries <= index).
     */
    public SnapshotMetadata compact(long index) {
        if (index > log.applied) throw new IllegalArgumentException("cannot snapshot unapplied index " + index);
        long t = log.term(index);
        if (t == RaftLog.COMPACTED) throw new IllegalArgumentException("index " + index + " already compacted");
        SnapshotMetadata meta = new SnapshotMetadata(index, t, membershipLog.at(index));
        membershipLog.compact(index);
        return meta;
    }

    /** Optional: the transport reports whether a snapshot send finished (otherwise it times out). */
    public void reportSnapshot(long to, boolean success) {
        Progress pr = role == Role.LEADER ? tracker.get(to) : null;
        if (pr == null || pr.state != Progress.State.SNAPSHOT) return;
        if (!success) pr.pendingSnapshot = 0;
        pr.becomeProbe();
        pr.probeSent = true; // wait for the follower's answer or the next heartbeat
    }

    /** Process a message from a peer. */
    public void step(Message m) {
        if (m.term > term) {
            if ((m.type == MessageType.VOTE || m.type == MessageType.PRE_VOTE) && !m.force && inLease()) {
                return; // we heard from a live leader recently: do not let anyone disrupt it
            }
            if (m.type == MessageType.PRE_VOTE || (m.type == MessageType.PRE_VOTE_RESP && !m.reject)) {
                // pre-vote traffic never changes terms
            } else if (m.type == MessageType.APPEND || m.type == MessageType.HEARTBEAT || m.type == MessageType.SNAPSHOT) {
                becomeFollower(m.term, m.from);
            } else {
                becomeFollower(m.term, NONE);
            }
        } else if (m.term < term) {
            if ((cfg.checkQuorum() || cfg.preVote()) && (m.type == MessageType.APPEND || m.type == MessageType.HEARTBEAT)) {
                // A stale leader; tell it our term so it steps down. Without this, a node whose term
                // rose while partitioned (possible without pre-vote) could be ignored forever.
                send(Message.builder(MessageType.APPEND_RESP, id, m.from, term).build());
            } else if (m.type == MessageType.PRE_VOTE) {
                send(Message.builder(MessageType.PRE_VOTE_RESP, id, m.from, term).reject(true).build());
            }
            return;
        }

        switch (m.type) {
            case VOTE, PRE_VOTE -> handleVoteRequest(m);
            default -> {
                switch (role) {
                    case LEADER -> stepLeader(m);
                    case CANDIDATE, PRE_CANDIDATE -> stepCandidate(m);
                    case FOLLOWER -> stepFollower(m);
                }
            }
        }
    }

    // ------------------------------------------------------------------ Ready / advance

    public boolean hasReady() {
        return (needsBroadcast && role == Role.LEADER)
                || !msgs.isEmpty() || !snapshotSends.isEmpty() || !readStates.isEmpty()
                || !log.unstable.entries.isEmpty() || log.unstable.snapshot != null
                || log.hasNextCommittedEntries()
                || !currentHardState().equals(prevHardState)
                || !currentSoftState().equals(prevSoftState);
    }

    /** Collect pending work. Must be followed by {@link #advance(Ready)} before the next call. */
    public Ready ready() {
        flushBroadcast();
        SoftState ss = currentSoftState();
        HardState hs = currentHardState();
        List<Entry> ents = List.copyOf(log.unstable.entries);
        long truncateFrom = !ents.isEmpty() && ents.get(0).index() <= storage.lastIndex() ? ents.get(0).index() : 0;
        List<Entry> committed = List.copyOf(log.nextCommittedEntries(cfg.maxSizePerMsg()));
        if (!committed.isEmpty()) {
            log.applying = committed.get(committed.size() - 1).index();
            if (role == Role.LEADER) {
                for (Entry e : committed) uncommittedSize -= e.size();
                if (uncommittedSize < 0) uncommittedSize = 0;
            }
        }
        Ready rd = new Ready(ss.equals(prevSoftState) ? null : ss, hs.equals(prevHardState) ? null : hs,
                ents, truncateFrom, log.unstable.snapshot, committed, msgs, snapshotSends, readStates);
        prevSoftState = ss;
        prevHardState = hs;
        msgs = new ArrayList<>();
        snapshotSends = new ArrayList<>();
        readStates = new ArrayList<>();
        return rd;
    }

    /** The driver persisted, sent and applied everything in {@code rd}. */
    public void advance(Ready rd) {
        if (rd.snapshot() != null) {
            long idx = rd.snapshot().metadata().index();
            log.unstable.stableSnapTo(idx);
            log.appliedSnapshot(idx);
        }
        if (!rd.entries().isEmpty()) {
            Entry last = rd.entries().get(rd.entries().size() - 1);
            log.unstable.stableTo(last.index(), last.term());
        }
        if (!rd.committedEntries().isEmpty()) {
            log.applied = Math.max(log.applied, rd.committedEntries().get(rd.committedEntries().size() - 1).index());
        }
    }

    private HardState currentHardState() { return new HardState(term, vote, log.committed); }

    private SoftState currentSoftState() { return new SoftState(lead, role); }

    // ------------------------------------------------------------------ role transitions

    private void reset(long newTerm) {
        if (newTerm != term) {
            term = newTerm;
            vote = NONE;
        }
        lead = NONE;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        randomizedElectionTimeout = cfg.electionTicks() + random.nextInt(cfg.electionTicks());
        leadTransferee = NONE;
        tracker.resetVotes();
        readOnly = new ReadOnlyQueue();
        leaseFloorRound = 0;
        leaseForfeited = false;
        readsBeforeFirstCommit.clear();
        uncommittedSize = 0;
        needsBroadcast = false;
    }

    private void becomeFollower(long newTerm, long leader) {
        reset(newTerm);
        lead = leader;
        role = Role.FOLLOWER;
    }

    private void becomePreCandidate() {
        // Neither term nor vote changes: a pre-candidate that fails leaves no trace.
        tracker.resetVotes();
        lead = NONE;
        role = Role.PRE_CANDIDATE;
    }

    private void becomeCandidate() {
        reset(term + 1);
        vote = id;
        role = Role.CANDIDATE;
    }

    private void becomeLeader() {
        reset(term);
        lead = id;
        role = Role.LEADER;
        tracker.resetProgress(log.lastIndex() + 1);
        // Each leader commits a no-op of its own term first: only then can it know which earlier
        // entries are committed (§5.4.2) and serve read-index requests (§6.4).
        appendEntry(Entry.Type.NOOP, null);
        flushBroadcast();
    }

    /**
     * May this node start an election? Voters may. So may a node removed by a membership entry that is
     * not committed yet (dissertation §4.2.2): it may be the only one with that entry, hence the only
     * one that can still win; it just does not count its own vote.
     */
    private boolean promotable() {
        if (log.unstable.snapshot != null) return false;
        if (tracker.membership().isVoter(id)) return true;
        return membershipLog.currentIndex() > log.committed && membershipLog.at(log.committed).isVoter(id);
    }

    private boolean inLease() {
        return (cfg.checkQuorum() || cfg.preVote()) && (lead != NONE || startupLease) && electionElapsed < cfg.electionTicks();
    }

    private boolean committedInCurrentTerm() { return log.term(log.committed) == term; }

    // ------------------------------------------------------------------ ticks

    private void tickElection() {
        electionElapsed++;
        if (electionElapsed >= cfg.electionTicks()) startupLease = false;
        if (promotable() && electionElapsed >= randomizedElectionTimeout) {
            electionElapsed = 0;
            campaign(cfg.preVote() ? CampaignType.PRE_ELECTION : CampaignType.ELECTION);
        }
    }

    private void tickLeader() {
        heartbeatElapsed++;
        electionElapsed++;
        for (Progress pr : tracker.progress.values()) {
            // A snapshot that was lost in transit would block the follower forever; retry later.
            if (pr.state == Progress.State.SNAPSHOT && ++pr.snapshotTicks > 2 * cfg.electionTicks()) {
                pr.pendingSnapshot = 0;
                pr.becomeProbe();
            }
        }
        if (electionElapsed >= cfg.electionTicks()) {
            electionElapsed = 0;
            if (cfg.checkQuorum()) {
                if (!tracker.quorumActive(id)) {
                    becomeFollower(term, NONE); // cannot reach a majority: stop pretending to lead
                    return;
                }
                tracker.resetRecentActive();
            }
            abortLeaderTransfer(); // a transfer that did not finish within an election timeout failed
        }
        if (heartbeatElapsed >= cfg.heartbeatTicks()) {
            heartbeatElapsed = 0;
            bcastHeartbeat();
        }
    }

    // ------------------------------------------------------------------ elections

    private void campaign(CampaignType type) {
        if (!promotable()) return;
        MessageType voteType;
        long voteTerm;
        if (type == CampaignType.PRE_ELECTION) {
            becomePreCandidate();
            voteType = MessageType.PRE_VOTE;
            voteTerm = term + 1;
        } else {
            becomeCandidate();
            voteType = MessageType.VOTE;
            voteTerm = term;
        }
        if (tracker.recordVote(id, true) == ProgressTracker.VoteResult.WON) {
            if (type == CampaignType.PRE_ELECTION) campaign(CampaignType.ELECTION);
            else becomeLeader();
            return;
        }
        for (long voter : tracker.membership().voters()) {
            if (voter == id) continue;
            send(Message.builder(voteType, id, voter, voteTerm).index(log.lastIndex()).logTerm(log.lastTerm())
                    .force(type == CampaignType.TRANSFER).build());
        }
    }

    private void handleVoteRequest(Message m) {
        MessageType respType = m.type == MessageType.VOTE ? MessageType.VOTE_RESP : MessageType.PRE_VOTE_RESP;
        boolean canVote = vote == m.from
                || (vote == NONE && lead == NONE)
                || (m.type == MessageType.PRE_VOTE && m.term > term);
        if (canVote && log.isUpToDate(m.index, m.logTerm)) {
            // For a pre-vote we answer with the term the candidate would use, so it counts the grant.
            send(Message.builder(respType, id, m.from, m.term).build());
            if (m.type == MessageType.VOTE) {
                electionElapsed = 0;
                vote = m.from; // persisted (HardState) before the reply leaves: see Ready
            }
        } else {
            send(Message.builder(respType, id, m.from, term).reject(true).build());
        }
    }

    private void stepCandidate(Message m) {
        switch (m.type) {
            case APPEND -> { becomeFollower(m.term, m.from); handleAppend(m); }
            case HEARTBEAT -> { becomeFollower(m.term, m.from); handleHeartbeat(m); }
            case SNAPSHOT -> { becomeFollower(m.term, m.from); handleSnapshot(m); }
            case VOTE_RESP, PRE_VOTE_RESP -> {
                boolean mine = (m.type == MessageType.VOTE_RESP) == (role == Role.CANDIDATE);
                if (!mine) return;
                switch (tracker.recordVote(m.from, !m.reject)) {
                    case WON -> {
                        if (role == Role.PRE_CANDIDATE) campaign(CampaignType.ELECTION);
                        else becomeLeader();
                    }
                    case LOST -> becomeFollower(term, NONE);
                    case PENDING -> { }
                }
            }
            default -> { }
        }
    }

    // ------------------------------------------------------------------ follower

    private void stepFollower(Message m) {
        switch (m.type) {
            case APPEND -> { electionElapsed = 0; lead = m.from; handleAppend(m); }
            case HEARTBEAT -> { electionElapsed = 0; lead = m.from; handleHeartbeat(m); }
            case SNAPSHOT -> { electionElapsed = 0; lead = m.from; handleSnapshot(m); }
            case TIMEOUT_NOW -> campaign(CampaignType.TRANSFER);
            case READ_INDEX_RESP -> readStates.add(new ReadState(m.context, m.index));
            default -> { }
        }
    }

    private void handleAppend(Message m) {
        if (m.index < log.committed) {
            send(Message.builder(MessageType.APPEND_RESP, id, m.from, term).index(log.committed).build());
            return;
        }
        long[] conflict = new long[1];
        long lastNew = log.maybeAppend(m.index, m.logTerm, m.commit, m.entries, conflict);
        if (lastNew >= 0) {
            if (conflict[0] != 0) {
                membershipLog.truncateFrom(conflict[0]);
                boolean changed = false;
                for (Entry e : m.entries) {
                    if (e.index() >= conflict[0] && e.type() == Entry.Type.MEMBERSHIP) changed = true;
                    if (e.index() >= conflict[0]) membershipLog.appended(e);
                }
                if (changed || !membershipLog.current().equals(tracker.membership())) onMembershipChanged();
            }
            send(Message.builder(MessageType.APPEND_RESP, id, m.from, term).index(lastNew).build());
        } else {
            // Fast backtracking: point the leader at the last index where our term is <= its logTerm.
            long hint = log.findConflictByTerm(Math.min(m.index, log.lastIndex()), m.logTerm);
            long hintTerm = Math.max(0, log.term(hint));
            send(Message.builder(MessageType.APPEND_RESP, id, m.from, term).reject(true).index(m.index)
                    .rejectHint(hint).logTerm(hintTerm).build());
        }
    }

    private void handleHeartbeat(Message m) {
        log.commitTo(m.commit);
        send(Message.builder(MessageType.HEARTBEAT_RESP, id, m.from, term).context(m.context).build());
    }

    private void handleSnapshot(Message m) {
        SnapshotMetadata meta = m.snapshot.metadata();
        if (meta.index() <= log.committed) {
            send(Message.builder(MessageType.APPEND_RESP, id, m.from, term).index(log.committed).build());
            return;
        }
        if (log.matchTerm(meta.index(), meta.term())) {
            // We already hold that entry: just fast-forward the commit index.
            log.commitTo(meta.index());
        } else {
            log.restore(m.snapshot);
            membershipLog.reset(meta.index(), meta.membership());
            onMembershipChanged();
        }
        send(Message.builder(MessageType.APPEND_RESP, id, m.from, term).index(log.lastIndex()).build());
    }

    // ------------------------------------------------------------------ leader

    private void checkCanPropose() throws ProposalRejectedException {
        if (role != Role.LEADER) throw new ProposalRejectedException(ProposalRejectedException.Reason.NOT_LEADER, lead, null);
        if (leadTransferee != NONE) {
            throw new ProposalRejectedException(ProposalRejectedException.Reason.TRANSFER_IN_PROGRESS, id, "to " + leadTransferee);
        }
        if (!tracker.membership().isVoter(id)) throw new ProposalRejectedException(ProposalRejectedException.Reason.LEADER_REMOVED, NONE, null);
    }

    private long appendEntry(Entry.Type type, byte[] data) {
        Entry e = new Entry(log.lastIndex() + 1, term, type, data);
        log.append(List.of(e));
        membershipLog.appended(e);
        if (type == Entry.Type.MEMBERSHIP) onMembershipChanged();
        Progress self = tracker.get(id);
        if (self != null) self.maybeUpdate(e.index());
        needsBroadcast = true;
        if (maybeCommit()) onCommitAdvanced(); // single-voter cluster
        return e.index();
    }

    private void onMembershipChanged() {
        tracker.setMembership(membershipLog.current(), log.lastIndex() + 1);
        if (role == Role.LEADER && leadTransferee != NONE && !tracker.membership().isVoter(leadTransferee)) abortLeaderTransfer();
    }

    private void stepLeader(Message m) {
        switch (m.type) {
            case APPEND_RESP -> handleAppendResp(m);
            case HEARTBEAT_RESP -> handleHeartbeatResp(m);
            case READ_INDEX -> handleReadIndex(m.from, m.context);
            default -> { }
        }
    }

    private void handleAppendResp(Message m) {
        Progress pr = tracker.get(m.from);
        if (pr == null) return;
        pr.recentActive = true;
        if (m.reject) {
            long nextProbe = m.rejectHint;
            if (m.logTerm > 0) nextProbe = log.findConflictByTerm(m.rejectHint, m.logTerm);
            if (pr.maybeDecrTo(m.index, nextProbe)) {
                if (pr.state == Progress.State.REPLICATE) pr.becomeProbe();
                sendAppend(m.from);
            }
            return;
        }
        boolean wasPaused = pr.isPaused();
        if (!pr.maybeUpdate(m.index)) return;
        switch (pr.state) {
            case PROBE -> pr.becomeReplicate();
            case SNAPSHOT -> {
                if (pr.match + 1 >= log.firstIndex()) {
                    pr.becomeProbe();
                    pr.becomeReplicate();
                }
            }
            case REPLICATE -> pr.inflights.freeLE(m.index);
        }
        if (maybeCommit()) {
            bcastAppend(); // tell followers about the new commit index
            onCommitAdvanced();
            if (role != Role.LEADER) return;
        } else if (wasPaused) {
            sendAppend(m.from);
        }
        while (maybeSendAppend(m.from, false)) {
            // keep the pipeline full while the inflight window allows
        }
        if (m.from == leadTransferee && pr.match == log.lastIndex()) sendTimeoutNow(m.from);
    }

    private void handleHeartbeatResp(Message m) {
        Progress pr = tracker.get(m.from);
        if (pr == null) return;
        pr.recentActive = true;
        pr.probeSent = false;
        if (pr.state == Progress.State.REPLICATE && pr.inflights.full()) pr.inflights.freeFirstOne();
        if (pr.match < log.lastIndex()) sendAppend(m.from);
        if (m.context > pr.ackedReadRound) {
            pr.ackedReadRound = m.context;
            maybeConfirmReads();
        }
    }

    /** Commit = highest index replicated on a quorum, but only by counting replicas of current-term entries (§5.4.2). */
    private boolean maybeCommit() {
        long mci = tracker.quorumValue(v -> {
            if (v == id) return log.lastIndex();
            Progress p = tracker.get(v);
            return p == null ? 0 : p.match;
        });
        if (mci > log.committed && log.term(mci) == term) {
            log.commitTo(mci);
            return true;
        }
        return false;
    }

    private void onCommitAdvanced() {
        if (committedInCurrentTerm() && !readsBeforeFirstCommit.isEmpty()) {
            List<long[]> waiting = new ArrayList<>(readsBeforeFirstCommit);
            readsBeforeFirstCommit.clear();
            for (long[] r : waiting) handleReadIndex(r[1], r[0]);
        }
        if (!tracker.membership().isVoter(id) && log.committed >= membershipLog.currentIndex()) {
            // We removed ourselves and the change is committed: hand over to the most up-to-date voter.
            flushBroadcast();
            long best = NONE;
            for (long v : tracker.membership().voters()) {
                Progress p = tracker.get(v);
                if (p != null && p.match == log.lastIndex()) { best = v; break; }
            }
            if (best != NONE) sendTimeoutNow(best);
            becomeFollower(term, NONE);
        }
    }

    private void flushBroadcast() {
        if (needsBroadcast && role == Role.LEADER) {
            needsBroadcast = false;
            bcastAppend();
        }
    }

    private void bcastAppend() {
        for (long peer : tracker.progress.keySet()) {
            if (peer == id) continue;
            sendAppend(peer);
            while (maybeSendAppend(peer, false)) {
                // pipelining: in REPLICATE state fill the inflight window (PROBE pauses after one)
            }
        }
    }

    private void bcastHeartbeat() {
        long round = readOnly.startRound(tickCount);
        for (var e : tracker.progress.entrySet()) {
            if (e.getKey() == id) continue;
            long commit = Math.min(e.getValue().match, log.committed);
            send(Message.builder(MessageType.HEARTBEAT, id, e.getKey(), term).commit(commit).context(round).build());
        }
    }

    private void sendAppend(long to) { maybeSendAppend(to, true); }

    private boolean maybeSendAppend(long to, boolean sendIfEmpty) {
        Progress pr = tracker.get(to);
        if (pr == null || pr.isPaused()) return false;
        long prevIndex = pr.next - 1;
        long prevTerm = log.term(prevIndex);
        if (prevTerm == RaftLog.COMPACTED || pr.next < log.firstIndex()) return maybeSendSnapshot(to, pr);
        List<Entry> ents = log.entries(pr.next, log.lastIndex() + 1, cfg.maxSizePerMsg());
        if (ents.isEmpty() && !sendIfEmpty) return false;
        Message m = Message.builder(MessageType.APPEND, id, to, term).index(prevIndex).logTerm(prevTerm)
                .entries(ents).commit(log.committed).build();
        send(m);
        pr.sentEntries(prevIndex + ents.size(), m.entriesSize());
        return true;
    }

    private boolean maybeSendSnapshot(long to, Progress pr) {
        if (!pr.recentActive) return false; // do not ship a snapshot to a node that may be down
        SnapshotMetadata meta = storage.snapshotMetadata();
        snapshotSends.add(new SnapshotSend(id, to, term, meta));
        pr.becomeSnapshot(meta.index());
        return false;
    }

    private void sendTimeoutNow(long to) {
        leaseForfeited = true;
        send(Message.builder(MessageType.TIMEOUT_NOW, id, to, term).build());
    }

    private void abortLeaderTransfer() { leadTransferee = NONE; }

    private void handleReadIndex(long from, long context) {
        if (!committedInCurrentTerm()) {
            readsBeforeFirstCommit.add(new long[] {context, from});
            return;
        }
        if (readOption == RaftConfig.ReadOnlyOption.LEASE_BASED && leaseValid()) {
            leaseReads++;
            respondToRead(from, context, log.committed);
            return;
        }
        if (readOnly.add(context, from, log.committed)) bcastHeartbeat();
        maybeConfirmReads();
    }

    /**
     * The lease: a quorum acked a heartbeat sent at leader tick s, and each of them refuses votes for
     * electionTicks of its own ticks after receiving it (inLease), so no other leader can exist before
     * s + electionTicks. We stop two ticks early to tolerate tick phase offsets and bounded clock drift.
     * A leader that sent TimeoutNow gives up its lease for the rest of its term (see leaseForfeited).
     */
    private boolean leaseValid() {
        if (leaseForfeited) return false;
        long r = quorumAckedRound();
        if (r < leaseFloorRound) return false; // acked before the switch to LEASE_BASED
        long sent = readOnly.sentAtTick(r);
        return sent >= 0 && tickCount < sent + cfg.electionTicks() - 2;
    }

    private long quorumAckedRound() {
        return tracker.quorumValue(v -> {
            if (v == id) return readOnly.lastSentRound();
            Progress p = tracker.get(v);
            return p == null ? 0 : p.ackedReadRound;
        });
    }

    private void maybeConfirmReads() {
        List<ReadOnlyQueue.PendingRead> released = readOnly.confirm(quorumAckedRound());
        for (ReadOnlyQueue.PendingRead r : released) respondToRead(r.from(), r.context(), r.index());
        if (!released.isEmpty() && readOnly.hasUnsentRound()) bcastHeartbeat(); // start the next batch now
    }

    private void respondToRead(long from, long context, long index) {
        if (from == id) readStates.add(new ReadState(context, index));
        else send(Message.builder(MessageType.READ_INDEX_RESP, id, from, term).context(context).index(index).build());
    }

    private void send(Message m) { msgs.add(m); }

    @Override public String toString() {
        return "node " + id + " " + role + " t" + term + " lead=" + lead + " commit=" + log.committed + " applied=" + log.applied
                + " last=" + log.lastIndex() + "/" + log.lastTerm() + " " + tracker.membership();
    }
}
