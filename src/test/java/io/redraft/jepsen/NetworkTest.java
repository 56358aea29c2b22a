package io.redraft.jepsen;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The partitions the nemesis makes cut exactly the links they should. */
@Timeout(30)
class NetworkTest {
    /** Five proxies on ephemeral ports (never connected to: only the cut table is looked at). */
    private static Network five() throws IOException {
        return new Network(new int[5], new int[]{1, 2, 3, 4, 5});
    }

    private static int reachable(Network net, int from) {
        int n = 0;
        for (int to = 0; to < 5; to++) {
            if (to != from && !net.isCut(from, to)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aMajoritiesRingLeavesEachNodeItsTwoNeighbours() throws IOException {
        try (Network net = five()) {
            net.ring(List.of(2, 0, 4, 1, 3));
            for (int node = 0; node < 5; node++) {
                assertEquals(2, reachable(net, node), "node index " + node);
            }
            assertFalse(net.isCut(2, 0));
            assertFalse(net.isCut(3, 2)); // the ring closes
            assertTrue(net.isCut(2, 4));
        }
    }

    @Test
    void aSplitCutsBothWaysAndOnlyAcross() throws IOException {
        try (Network net = five()) {
            net.cutBetween(Set.of(0, 1), Set.of(2, 3, 4));
            assertTrue(net.isCut(0, 2) && net.isCut(2, 0) && net.isCut(1, 4) && net.isCut(4, 1));
            assertFalse(net.isCut(0, 1) || net.isCut(2, 3) || net.isCut(3, 4));
            net.heal();
            assertFalse(net.isCut(0, 2));
        }
    }

    @Test
    void aBridgeTalksToBothSides() throws IOException {
        try (Network net = five()) {
            net.cutBetween(List.of(0, 1), List.of(3, 4)); // node 2 bridges
            for (int other = 0; other < 5; other++) {
                if (other != 2) {
                    assertFalse(net.isCut(2, other) || net.isCut(other, 2));
                }
            }
            assertEquals(2, reachable(net, 0)); // its side and the bridge
        }
    }
}
