package io.redraft.raft;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The known hard cases, scripted step by step. */
class ScenarioTest {

    /**
     * Raft paper, Figure 8: a leader must not commit an entry of an older term by counting replicas,
     * because a node with a higher last term could still be elected and overwrite it.
     */
    @Test
    void figure8OldTermEntryIsNotCommittedByReplicaCount() {
        TestCluster c = new TestCluster(5, b -> b.maxSizePerMsg(1)); // one entry per AppendEntries
        c.elect(1);
        assertTrue(c.node(1).isLeader());
        long t1 = c.node(1).term();
        // (a) S1 replicates entry "x" to S2 only, then crashes.
        c.cut(1, 3); c.cut(1, 4); c.cut(1, 5);
        long ix = c.propose(1, "x");
        c.stabilize();
        assertEquals(t1, c.node(2).termAt(ix));
        c.crash(1);
        c.heal();
        // (b) S5 is elected by S3, S4 (and itself); appends its own entry at the same index, then crashes.
        c.drop = m -> m.from == 5 && (m.type == MessageType.APPEND || m.type == MessageType.HEARTBEAT);
        c.elect(5);
        assertTrue(c.node(5).isLeader());
        assertEquals(ix, c.node(5).lastIndex()); // its no-op sits at index ix with a newer term
        long t5 = c.node(5).termAt(ix);
        assertTrue(t5 > t1);
        c.crash(5);
        c.drop = m -> false;
        // (c) S1 restarts and is elected (S2, S3, S4 vote: its last term t1 is as new as theirs).
        c.restart(1);
        // S1 may talk to S2 (which acks x and S1's no-op); to S3 it gets through exactly one append,
        // carrying only x (its first probe at index ix is rejected, the retry after ix-1 holds x).
        int[] appendsToS3 = {0};
        c.drop = m -> {
            if (m.from != 1 || (m.type != MessageType.APPEND && m.type != MessageType.HEARTBEAT) || m.to == 2) return false;
            if (m.type == MessageType.APPEND && m.to == 3 && m.index == ix && appendsToS3[0] == 0) return false;
            return !(m.type == MessageType.APPEND && m.to == 3 && m.index == ix - 1 && appendsToS3[0]++ == 0);
        };
        c.elect(1); // restarted at an old term: loses, S3/S4 already voted for S5 in that term...
        for (int i = 0; i < 25 && !c.node(1).isLeader(); i++) c.tick(1, 1); // ...and wins the next one
        assertTrue(c.node(1).isLeader());
        assertEquals(t1, c.node(3).termAt(ix), "S3 got x");
        assertEquals(ix, c.node(1).progress(3).match());
        // x is now on S1, S2, S3 -- a majority -- but it is from an older term: must not be committed.
        assertTrue(c.node(1).commitIndex() < ix, "old-term entry committed by counting replicas (Figure 8)");
        // (d) S1 crashes; S5 comes back and wins with S3 and S4 (its last term is higher), overwriting x.
        c.crash(1);
        c.drop = m -> false;
        c.restart(5);
        c.elect(5); // loses the term S1 won...
        c.elect(5); // ...and wins the next one
        assertTrue(c.node(5).isLeader());
        c.tickAll(3);
        for (long id : new long[] {2, 3, 4, 5}) assertEquals(t5, c.node(id).termAt(ix), "n" + id);
        for (long id = 1; id <= 5; id++) assertFalse(c.appliedData(id, "x"), "n" + id + " applied x");
    }

    /** A leader cut off from the majority keeps accepting proposals; they never commit and are overwritten after the heal. */
    @Test
    void partitionedLeaderProposalsNeverCommit() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        long before = c.node(1).commitIndex();
        c.isolate(1);
        for (int i = 0; i < 5; i++) c.propose(1, "lost" + i);
        c.tick(1, 3);
        assertEquals(before, c.node(1).commitIndex());
        c.elect(2);
        c.propose(2, "kept");
        c.stabilize();
        c.heal();
        c.tickAll(5);
        assertSame(c.node(2), c.leader());
        assertEquals(Role.FOLLOWER, c.node(1).role());
        for (long id = 1; id <= 3; id++) {
            assertTrue(c.appliedData(id, "kept"), "n" + id);
            for (int i = 0; i < 5; i++) assertFalse(c.appliedData(id, "lost" + i));
            assertEquals(c.node(2).lastIndex(), c.node(id).lastIndex());
        }
    }

    /** A deposed leader that does not know it yet must not answer a read with stale data. */
    @Test
    void staleLeaderDoesNotServeReads() throws Exception {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.isolate(1);
        c.elect(2);
        long idx = c.propose(2, "new-value");
        c.stabilize();
        assertTrue(c.appliedData(2, "new-value"));
        assertTrue(c.node(1).isLeader(), "n1 still believes it leads");
        c.node(1).readIndex(42);
        c.tick(1, 3);
        assertTrue(c.reads.get(1L).isEmpty(), "stale leader answered a read without a quorum");
        // After the heal the stale leader learns the new term and steps down; the read is simply dropped.
        c.heal();
        c.tickAll(3);
        assertFalse(c.node(1).isLeader());
        assertTrue(c.reads.get(1L).isEmpty());
        // Asked again (now a follower), the read is forwarded and answered with an index covering the write.
        c.node(1).readIndex(43);
        c.stabilize();
        assertEquals(1, c.reads.get(1L).size());
        assertTrue(c.reads.get(1L).get(0).index() >= idx);
    }

    /** A node that was partitioned and raised its term cannot depose a healthy leader (pre-vote). */
    @Test
    void rejoiningNodeWithHigherTermDoesNotDisruptLeader() {
        TestCluster c = new TestCluster(3, b -> b.preVote(true).checkQuorum(true));
        c.elect(1);
        long term = c.node(1).term();
        c.isolate(3);
        c.tick(3, 100); // keeps pre-campaigning, never gets pre-votes, so its term does not grow
        assertEquals(term, c.node(3).term());
        c.propose(1, "while-away");
        c.stabilize();
        c.heal();
        c.tickAll(20);
        assertSame(c.node(1), c.leader());
        assertEquals(term, c.node(1).term());
        assertTrue(c.appliedData(3, "while-away"));
    }

    /** Without pre-vote the partitioned node does raise its term; the stale-term reply then lets it rejoin. */
    @Test
    void rejoiningNodeWithoutPreVoteEventuallyRejoins() {
        TestCluster c = new TestCluster(3, b -> b.preVote(false).checkQuorum(true));
        c.elect(1);
        c.isolate(3);
        c.tick(3, 100);
        assertTrue(c.node(3).term() > c.node(1).term());
        c.heal();
        c.tickAll(60);
        assertTrue(c.leader() != null);
        c.propose(c.leader().id(), "after");
        c.stabilize();
        for (long id = 1; id <= 3; id++) assertTrue(c.appliedData(id, "after"));
    }

    /** Followers that heard from the leader within the election timeout ignore vote requests. */
    @Test
    void voteRequestsIgnoredWhileLeaderLeaseHeld() {
        TestCluster c = new TestCluster(3, b -> b.preVote(false).checkQuorum(true));
        c.elect(1);
        long term = c.node(1).term();
        RaftNode n3 = c.node(3);
        // A disruptive vote request with a higher term and an up-to-date log:
        n3.step(Message.builder(MessageType.VOTE, 2, 3, term + 5).index(n3.lastIndex()).logTerm(n3.termAt(n3.lastIndex())).build());
        c.stabilize();
        assertEquals(term, n3.term(), "in lease: term must not change");
        assertEquals(1, n3.leaderId());
        // Once the lease expires (no leader contact for an election timeout) the vote is granted.
        c.isolate(1);
        for (int i = 0; i < 10; i++) n3.tick();
        n3.step(Message.builder(MessageType.VOTE, 2, 3, term + 5).index(n3.lastIndex()).logTerm(n3.termAt(n3.lastIndex())).build());
        assertEquals(term + 5, n3.term());
        assertEquals(2, n3.vote());
    }

    /** The leader removes itself: it keeps leading until the change commits, not counting itself, then steps down. */
    @Test
    void leaderRemovesItself() throws Exception {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.propose(1, "a");
        c.stabilize();
        long idx = c.node(1).proposeMembershipChange(MembershipChange.remove(1));
        assertFalse(c.node(1).membership().isVoter(1), "takes effect on append");
        var e = assertThrows(ProposalRejectedException.class, () -> c.node(1).propose("b".getBytes()));
        assertEquals(ProposalRejectedException.Reason.LEADER_REMOVED, e.reason());
        c.stabilize();
        assertTrue(c.node(2).commitIndex() >= idx || c.node(3).commitIndex() >= idx);
        assertFalse(c.node(1).isLeader(), "steps down once the removal is committed");
        c.tickAll(30);
        RaftNode l = c.leader();
        assertNotEquals(null, l);
        assertNotEquals(1, l.id());
        c.propose(l.id(), "c");
        c.stabilize();
        assertTrue(c.appliedData(2, "c") && c.appliedData(3, "c"));
        assertEquals(Membership.ofVoters(2, 3), l.membership());
    }

    /** Transfer to a follower that is behind: the leader first catches it up, then sends TimeoutNow. */
    @Test
    void transferToLaggingNode() throws Exception {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.isolate(3);
        for (int i = 0; i < 10; i++) c.propose(1, "e" + i);
        c.stabilize();
        c.heal();
        assertTrue(c.node(3).lastIndex() < c.node(1).lastIndex());
        // Hold back heartbeats so only the transfer's catch-up brings n3 up to date.
        assertTrue(c.node(1).transferLeadership(3));
        var e = assertThrows(ProposalRejectedException.class, () -> c.node(1).propose("x".getBytes()));
        assertEquals(ProposalRejectedException.Reason.TRANSFER_IN_PROGRESS, e.reason());
        c.stabilize();
        assertTrue(c.node(3).isLeader());
        assertEquals(Role.FOLLOWER, c.node(1).role());
        for (int i = 0; i < 10; i++) assertTrue(c.appliedData(3, "e" + i));
    }

    /** A transfer whose target never answers is abandoned after an election timeout. */
    @Test
    void transferAbortsAfterElectionTimeout() throws Exception {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.crash(3);
        assertTrue(c.node(1).transferLeadership(3));
        c.tickAll(3);
        assertEquals(3, c.node(1).leadTransferee());
        c.tickAll(10);
        assertEquals(RaftNode.NONE, c.node(1).leadTransferee());
        assertTrue(c.node(1).isLeader());
        c.node(1).propose("ok".getBytes());
    }

    /** A new node joins as a learner, catches up from a snapshot (log compacted), and is promoted. */
    @Test
    void learnerCatchesUpBySnapshotAndIsPromoted() throws Exception {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        for (int i = 0; i < 20; i++) c.propose(1, "v" + i);
        c.stabilize();
        RaftNode l = c.node(1);
        SnapshotMetadata meta = l.compact(l.appliedIndex());
        c.disks.get(1L).compact(meta, new byte[] {1, 2, 3});
        c.addNode(4);
        l.proposeMembershipChange(MembershipChange.addLearner(4));
        c.tickAll(3);
        assertEquals(l.lastIndex(), c.node(4).lastIndex());
        assertTrue(c.node(4).membership().isLearner(4));
        assertEquals(meta.index(), c.disks.get(4L).snapshotMetadata().index(), "caught up by snapshot");
        l.proposeMembershipChange(MembershipChange.promote(4));
        c.tickAll(3);
        assertTrue(c.node(4).membership().isVoter(4));
        c.isolate(1);
        c.elect(4);
        assertTrue(c.node(4).isLeader());
    }

    /** LEASE_BASED: a partitioned leader answers from its lease only while no one else can have been elected. */
    @Test
    void leaseReadsStopWhenTheLeaseExpires() throws Exception {
        TestCluster c = new TestCluster(3, b -> b.readOnlyOption(RaftConfig.ReadOnlyOption.LEASE_BASED).checkQuorum(true));
        c.elect(1);
        c.tick(1, 1); // heartbeat round acked by a quorum: lease starts at this round's send tick
        c.isolate(1);
        c.node(1).readIndex(1);
        c.stabilize();
        assertEquals(1, c.reads.get(1L).size(), "within the lease");
        // Followers stop honouring the old leader after electionTicks of silence; the leader's lease ends earlier.
        for (int i = 0; i < 8; i++) c.node(1).tick();
        c.stabilize();
        c.node(1).readIndex(2);
        c.stabilize();
        assertEquals(1, c.reads.get(1L).size(), "lease expired: must fall back to a quorum round, which cannot succeed");
        c.tickAll(30); // the others elect a new leader meanwhile (n1 stays cut off)
        assertTrue(c.node(2).isLeader() || c.node(3).isLeader());
        assertEquals(1, c.reads.get(1L).size(), "the deposed leader never answered the second read");
    }

    /**
     * LEASE_BASED: after sending TimeoutNow the old leader's lease proves nothing (the target's forced
     * vote requests override followers' leases), so it must not answer reads from it. Found by the
     * simulation (seed 17520) before the fix.
     */
    @Test
    void leaderThatSentTimeoutNowForfeitsItsLease() throws Exception {
        TestCluster c = new TestCluster(3, b -> b.readOnlyOption(RaftConfig.ReadOnlyOption.LEASE_BASED).checkQuorum(true));
        c.elect(1);
        c.tick(1, 1);
        c.drop = m -> m.type == MessageType.TIMEOUT_NOW; // held in flight for a while
        assertTrue(c.node(1).transferLeadership(2));
        c.stabilize();
        Message timeoutNow = c.sentLog.stream().filter(m -> m.type == MessageType.TIMEOUT_NOW).findFirst().orElseThrow();
        c.tick(1, 1); // a heartbeat round sent after TimeoutNow is acked by both followers
        c.drop = m -> m.to == 1; // n1 hears nothing more
        c.node(2).step(timeoutNow); // the delayed TimeoutNow arrives
        c.stabilize();
        assertTrue(c.node(2).isLeader(), "transfer happened");
        assertTrue(c.node(1).isLeader(), "n1 has not heard of it");
        c.node(1).readIndex(9);
        c.stabilize();
        assertTrue(c.reads.get(1L).isEmpty(), "answered a read from a forfeited lease");
    }
}
