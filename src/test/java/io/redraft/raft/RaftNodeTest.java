package io.redraft.raft;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Focused unit tests of single mechanisms. */
class RaftNodeTest {

    @Test void singleNodeElectsItselfAndCommitsImmediately() throws Exception {
        TestCluster c = new TestCluster(1);
        c.tick(1, 25);
        assertTrue(c.node(1).isLeader());
        long idx = c.node(1).propose("a".getBytes());
        c.stabilize();
        assertEquals(idx, c.node(1).commitIndex());
        assertTrue(c.appliedData(1, "a"));
    }

    @Test void electionTimeoutIsRandomizedWithinBounds() {
        for (long seed = 0; seed < 50; seed++) {
            MemoryRaftStorage s = new MemoryRaftStorage(Membership.ofVoters(1, 2, 3));
            RaftNode n = new RaftNode(RaftConfig.builder(1).preVote(false).seed(seed).build(), s);
            int ticks = 0;
            while (n.role() == Role.FOLLOWER) { n.tick(); ticks++; }
            assertTrue(ticks >= 10 && ticks < 20, "timeout " + ticks);
        }
    }

    @Test void threeNodesElectOneLeaderAndReplicate() {
        TestCluster c = new TestCluster(3);
        c.tickAll(40);
        RaftNode l = c.leader();
        assertNotNull(l);
        for (RaftNode n : c.nodes.values()) assertEquals(l.id(), n.leaderId());
        c.propose(l.id(), "x");
        c.stabilize();
        for (long id = 1; id <= 3; id++) assertTrue(c.appliedData(id, "x"));
    }

    @Test void preCandidateDoesNotIncreaseTerm() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.isolate(2);
        long term = c.node(2).term();
        c.tick(2, 50);
        assertEquals(term, c.node(2).term());
        assertEquals(Role.PRE_CANDIDATE, c.node(2).role());
    }

    @Test void voteRejectedForStaleLog() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.propose(1, "a");
        c.stabilize();
        RaftNode n2 = c.node(2);
        c.wire.clear();
        n2.step(Message.builder(MessageType.VOTE, 3, 2, n2.term() + 1).index(1).logTerm(1).force(true).build());
        Ready rd = n2.ready();
        Message resp = rd.messages().get(0);
        assertEquals(MessageType.VOTE_RESP, resp.type);
        assertTrue(resp.reject);
        n2.advance(rd);
    }

    @Test void voteIsInHardStateOfTheSameReadyAsTheReply() {
        TestCluster c = new TestCluster(3);
        RaftNode n2 = c.node(2);
        n2.step(Message.builder(MessageType.VOTE, 3, 2, 5).index(0).logTerm(0).build());
        Ready rd = n2.ready();
        assertEquals(new HardState(5, 3, 0), rd.hardState());
        assertFalse(rd.messages().get(0).reject);
        assertTrue(rd.mustSync());
    }

    @Test void fastBacktrackingSkipsWholeTerms() {
        // n2 has a long divergent tail from an old term; the leader should find the match point
        // in a few round trips, not one per entry.
        TestCluster c = new TestCluster(3, b -> b.maxSizePerMsg(1 << 20));
        c.elect(2);
        c.isolate(2);
        for (int i = 0; i < 50; i++) c.propose(2, "stale" + i); // never committed
        c.stabilize();
        c.heal();
        c.isolate(2);
        c.elect(1);
        for (int i = 0; i < 5; i++) c.propose(1, "good" + i);
        c.stabilize();
        c.heal();
        c.sentLog.clear();
        c.tickAll(2);
        long rejections = c.sentLog.stream().filter(m -> m.type == MessageType.APPEND_RESP && m.reject && m.from == 2).count();
        assertTrue(rejections <= 2, "rejections: " + rejections);
        assertEquals(c.node(1).lastIndex(), c.node(2).lastIndex());
        for (int i = 0; i < 5; i++) assertTrue(c.appliedData(2, "good" + i));
    }

    @Test void inflightsBoundPipelining() {
        Inflights in = new Inflights(3, 100);
        in.add(1, 10); in.add(2, 10);
        assertFalse(in.full());
        in.add(3, 10);
        assertTrue(in.full());
        in.freeLE(2);
        assertEquals(1, in.count());
        assertFalse(in.full());
        in.add(4, 95);
        assertTrue(in.full(), "byte limit");
        in.freeFirstOne();
        assertEquals(95, in.bytes());
    }

    @Test void progressProbeAndReplicateTransitions() {
        Progress p = new Progress(11, new Inflights(2, Long.MAX_VALUE), false);
        assertEquals(Progress.State.PROBE, p.state());
        p.sentEntries(12, 10);
        assertTrue(p.isPaused(), "probe: one message at a time");
        assertTrue(p.maybeDecrTo(10, 4));
        assertEquals(5, p.next());
        assertFalse(p.isPaused());
        assertFalse(p.maybeDecrTo(10, 4), "stale rejection ignored");
        assertTrue(p.maybeUpdate(7));
        p.becomeReplicate();
        assertEquals(8, p.next());
        p.sentEntries(9, 10);
        p.sentEntries(10, 10);
        assertTrue(p.isPaused(), "replicate: window full");
        assertEquals(11, p.next());
        p.becomeSnapshot(20);
        assertTrue(p.isPaused());
        p.maybeUpdate(20);
        p.becomeProbe();
        assertEquals(21, p.next());
    }

    @Test void leaderPipelinesWithinInflightLimit() {
        TestCluster c = new TestCluster(3, b -> b.maxInflightMsgs(2).maxSizePerMsg(1));
        c.elect(1);
        c.drop = m -> m.type == MessageType.APPEND_RESP; // acks lost: leader must stop after 2 in flight
        for (int i = 0; i < 10; i++) c.propose(1, "p" + i);
        c.sentLog.clear();
        c.stabilize();
        long appendsTo2 = c.sentLog.stream().filter(m -> m.type == MessageType.APPEND && m.to == 2 && !m.entries.isEmpty()).count();
        assertEquals(2, appendsTo2);
    }

    @Test void proposalsAreBatchedIntoOneAppendPerFollower() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.sentLog.clear();
        for (int i = 0; i < 10; i++) c.propose(1, "b" + i);
        c.processReady(1);
        List<Message> appends = c.sentLog.stream().filter(m -> m.type == MessageType.APPEND).toList();
        assertEquals(2, appends.size());
        assertEquals(10, appends.get(0).entries.size());
    }

    @Test void proposalRejectionReasons() throws Exception {
        TestCluster c = new TestCluster(3, b -> b.maxUncommittedEntriesSize(200));
        c.elect(1);
        var notLeader = assertThrows(ProposalRejectedException.class, () -> c.node(2).propose(new byte[1]));
        assertEquals(ProposalRejectedException.Reason.NOT_LEADER, notLeader.reason());
        assertEquals(1, notLeader.leaderHint());
        c.isolate(1);
        c.node(1).propose(new byte[100]);
        var tooMuch = assertThrows(ProposalRejectedException.class, () -> c.node(1).propose(new byte[100]));
        assertEquals(ProposalRejectedException.Reason.UNCOMMITTED_LIMIT, tooMuch.reason());
        c.heal();
        c.stabilize();
        c.node(1).propose(new byte[100]); // committed -> room again
        c.node(1).proposeMembershipChange(MembershipChange.addLearner(4));
        var pending = assertThrows(ProposalRejectedException.class, () -> c.node(1).proposeMembershipChange(MembershipChange.remove(3)));
        assertEquals(ProposalRejectedException.Reason.MEMBERSHIP_CHANGE_PENDING, pending.reason());
        c.stabilize();
        var invalid = assertThrows(ProposalRejectedException.class, () -> c.node(1).proposeMembershipChange(MembershipChange.promote(2)));
        assertEquals(ProposalRejectedException.Reason.INVALID_MEMBERSHIP_CHANGE, invalid.reason());
        assertTrue(c.node(1).transferLeadership(2));
        var transfer = assertThrows(ProposalRejectedException.class, () -> c.node(1).propose(new byte[1]));
        assertEquals(ProposalRejectedException.Reason.TRANSFER_IN_PROGRESS, transfer.reason());
    }

    @Test void newLeaderRejectsMembershipChangeUntilItCommitsInItsTerm() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.isolate(1);
        c.drop = m -> m.from == 2 && m.type == MessageType.APPEND; // n2 wins votes but cannot commit its no-op
        c.elect(2);
        assertTrue(c.node(2).isLeader());
        var e = assertThrows(ProposalRejectedException.class, () -> c.node(2).proposeMembershipChange(MembershipChange.remove(3)));
        assertEquals(ProposalRejectedException.Reason.LEADER_NOT_READY, e.reason());
    }

    @Test void readIndexWaitsForOwnTermCommitAndQuorum() throws Exception {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.stabilize();
        c.isolate(1);
        c.node(1).readIndex(7);
        c.stabilize();
        assertTrue(c.reads.get(1L).isEmpty(), "no quorum, no answer");
        c.heal();
        c.tick(1, 1); // next heartbeat round confirms it
        assertEquals(List.of(new ReadState(7, c.node(1).commitIndex())), c.reads.get(1L));
    }

    @Test void readIndexRequestsArrivingDuringARoundAreBatchedIntoTheNext() throws Exception {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        RaftNode l = c.node(1);
        c.sentLog.clear();
        l.readIndex(1);          // starts round r (heartbeat broadcast now)
        c.processReady(1);
        l.readIndex(2);          // round r outstanding: these wait for round r+1
        l.readIndex(3);
        long heartbeats = c.sentLog.stream().filter(m -> m.type == MessageType.HEARTBEAT).count();
        assertEquals(2, heartbeats, "one round sent so far");
        c.stabilize();           // acks of r release read 1 and start r+1 for reads 2 and 3 together
        assertEquals(3, c.reads.get(1L).size());
        long rounds = c.sentLog.stream().filter(m -> m.type == MessageType.HEARTBEAT).map(m -> m.context).distinct().count();
        assertEquals(2, rounds, "reads 2 and 3 shared one round");
    }

    @Test void followerForwardsReadIndexToLeader() throws Exception {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.propose(1, "a");
        c.stabilize();
        c.node(3).readIndex(99);
        c.stabilize();
        assertEquals(List.of(new ReadState(99, c.node(1).commitIndex())), c.reads.get(3L));
    }

    @Test void readIndexWithoutKnownLeaderIsRejected() {
        TestCluster c = new TestCluster(3);
        var e = assertThrows(ProposalRejectedException.class, () -> c.node(2).readIndex(1));
        assertEquals(ProposalRejectedException.Reason.NOT_LEADER, e.reason());
        assertEquals(RaftNode.NONE, e.leaderHint());
    }

    @Test void leaseBasedReadAnswersWithoutRoundWhileLeaseHolds() throws Exception {
        TestCluster c = new TestCluster(3, b -> b.readOnlyOption(RaftConfig.ReadOnlyOption.LEASE_BASED));
        c.elect(1);
        c.tick(1, 1); // a heartbeat round establishes the lease
        c.isolate(1);
        c.node(1).readIndex(5);
        assertEquals(1, c.node(1).ready().readStates().size(), "answered from the lease");
    }

    @Test void restartRestoresHardStateAndLog() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.propose(1, "a");
        c.stabilize();
        long term = c.node(2).term(), last = c.node(2).lastIndex(), commit = c.node(2).commitIndex();
        c.crash(2);
        c.restart(2);
        assertEquals(term, c.node(2).term());
        assertEquals(last, c.node(2).lastIndex());
        assertEquals(commit, c.node(2).commitIndex());
        assertSame(Role.FOLLOWER, c.node(2).role());
        assertNull(c.node(2).progress(1));
    }

    @Test void compactRequiresAppliedIndex() {
        TestCluster c = new TestCluster(1);
        c.tick(1, 25);
        assertThrows(IllegalArgumentException.class, () -> c.node(1).compact(c.node(1).appliedIndex() + 1));
        SnapshotMetadata meta = c.node(1).compact(c.node(1).appliedIndex());
        assertEquals(Membership.ofVoters(1), meta.membership());
    }
}
