package io.redraft.raft;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read option changed at run time ({@link RaftNode#readOnlyOption(RaftConfig.ReadOnlyOption)}). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadOptionSwitchTest {

    /** Rounds acked while reads were SAFE do not make a lease: a partitioned leader must not answer. */
    @Test
    void aLeaseIsNotProvedByRoundsAckedBeforeTheSwitch() throws Exception {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.tick(1, 1); // a heartbeat round acked by both followers, under SAFE
        c.node(1).readOnlyOption(RaftConfig.ReadOnlyOption.LEASE_BASED);
        c.isolate(1);
        c.node(1).readIndex(7);
        c.stabilize();
        assertTrue(c.reads.get(1L).isEmpty(), "answered from a lease established before the switch");
        assertEquals(0, c.node(1).leaseReads());
    }

    /** After the switch the first read takes a ReadIndex round; once one is acked, reads use the lease. */
    @Test
    void aRoundAfterTheSwitchEstablishesTheLease() throws Exception {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.tick(1, 1);
        c.node(1).readOnlyOption(RaftConfig.ReadOnlyOption.LEASE_BASED);
        c.node(1).readIndex(1);
        c.stabilize();
        assertEquals(1, c.reads.get(1L).size(), "served by a quorum round");
        assertEquals(0, c.node(1).leaseReads());
        c.isolate(1);
        c.node(1).readIndex(2);
        c.stabilize();
        assertEquals(2, c.reads.get(1L).size(), "served from the lease the round after the switch proved");
        assertEquals(1, c.node(1).leaseReads());
    }

    /** Back to SAFE: the lease is ignored at once, a partitioned leader answers nothing. */
    @Test
    void switchingBackToSafeStopsLeaseReadsAtOnce() throws Exception {
        TestCluster c = new TestCluster(3, b -> b.readOnlyOption(RaftConfig.ReadOnlyOption.LEASE_BASED));
        c.elect(1);
        c.tick(1, 1);
        c.node(1).readOnlyOption(RaftConfig.ReadOnlyOption.SAFE);
        c.isolate(1);
        c.node(1).readIndex(3);
        c.stabilize();
        assertTrue(c.reads.get(1L).isEmpty());
    }
}
