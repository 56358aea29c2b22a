package io.redraft.jepsen;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The links between the nodes' peer ports, each direction cuttable on its own: one
 * {@link PeerProxy} per node. A cut link drops its connections and refuses new ones until healed.
 */
final class Network implements AutoCloseable {
    private final Set<Integer> cut = ConcurrentHashMap.newKeySet();
    private final List<PeerProxy> proxies = new ArrayList<>();
    private final int size;

    /** Proxies listening on {@code publicPorts[i]} in front of node i's {@code realPorts[i]}. */
    Network(int[] publicPorts, int[] realPorts) throws IOException {
        this.size = publicPorts.length;
        try {
            for (int i = 0; i < size; i++) {
                proxies.add(new PeerProxy(publicPorts[i], i, realPorts[i], this::isCut));
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    boolean isCut(int from, int to) {
        return cut.contains(from * size + to);
    }

    /** Stops traffic from {@code from} to {@code to} (one direction). */
    void cut(int from, int to) {
        cut.add(from * size + to);
        proxies.get(to).cut(from);
    }

    /** Cuts every link into and out of {@code node}: it is alone, the others keep a majority. */
    void isolate(int node) {
        for (int other = 0; other < size; other++) {
            if (other != node) {
                cut(node, other);
                cut(other, node);
            }
        }
    }

    /** Cuts every link into {@code node}: it still talks, but hears nobody. */
    void deafen(int node) {
        for (int other = 0; other < size; other++) {
            if (other != node) {
                cut(other, node);
            }
        }
    }

    /**
     * Cuts every link between the nodes of {@code a} and those of {@code b}, both ways: a minority
     * from a majority, or (the rest talking to both) Jepsen's bridge.
     */
    void cutBetween(Collection<Integer> a, Collection<Integer> b) {
        for (int x : a) {
            for (int y : b) {
                cut(x, y);
                cut(y, x);
            }
        }
    }

    /**
     * Jepsen's majorities ring (5 nodes): each node talks only to its two neighbours in
     * {@code ring}, so each sees a majority (itself and them), but no two see the same one.
     */
    void ring(List<Integer> ring) {
        int n = ring.size();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int distance = Math.abs(i - j);
                if (i != j && distance != 1 && distance != n - 1) {
                    cut(ring.get(i), ring.get(j));
                }
            }
        }
    }

    void heal() {
        cut.clear();
    }

    @Override
    public void close() {
        proxies.forEach(PeerProxy::close);
    }
}
