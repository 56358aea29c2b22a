package io.redraft.server;

import io.redraft.cluster.CommandExecutor;
import io.redraft.cluster.JoinRequest;
import io.redraft.cluster.RaftDriver;
import io.redraft.cluster.RaftPeers;
import io.redraft.cluster.WriteEntry;
import io.redraft.raft.Membership;
import io.redraft.store.Keyspace;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Forming a cluster at run time (RAFT.CLUSTER INIT and JOIN), for nodes started without
 * raft-peers or raft-join. Such a node is a standalone group of one voter from its first start,
 * serving clients, with no address book and no peer port.
 *
 * <p>INIT makes it the first member of a cluster: it opens its peer port (raft-port, else port +
 * 10000) and writes the book's first entry naming itself, as a cluster formed from raft-peers
 * does (RAFT.NODE INIT); others can then join through it. JOIN makes an empty standalone node a
 * member of an existing cluster exactly as {@code --raft-join} does at start: its own log (which
 * holds nothing but its no-ops) is dropped for a new, empty one, then it asks the cluster, through
 * any member's client address, to add it (RAFT.NODE ADD); the leader adds it as a learner, sends
 * it the log or a snapshot and promotes it. JOIN answers OK once the cluster has accepted the
 * addition and this node has applied it (it knows the members). A node with keys is refused, as redis-cli --cluster add-node refuses a non-empty node:
 * its data would silently vanish.
 *
 * <p>A node formed this way restarts with the same configuration: its peer port opens again at
 * the address the book gives it (so it needs a fixed port or raft-port). Keyspace thread.
 */
public final class ClusterFormation {
    static final String ALREADY = "ERR this node already belongs to a cluster (RAFT.INFO lists its members)";

    private final RedraftServer server;
    private final ServerContext context;
    private final long nodeId;
    private boolean joining;

    ClusterFormation(RedraftServer server) {
        this.server = server;
        this.context = server.context();
        this.nodeId = context.config().getLong("raft-node-id");
    }

    /** RAFT.CLUSTER INIT: opens the peer port; the reply is that of the book's first entry. */
    public void init(ClientSession session) {
        String refusal = refusal(false);
        if (refusal != null) {
            throw new io.redraft.command.CommandError(refusal);
        }
        String address;
        try {
            address = server.bindHost() + ":" + server.announcedPeerPort();
            server.openPeerPort(address);
        } catch (IOException | RuntimeException e) {
            throw new io.redraft.command.CommandError("ERR cannot open the Raft peer port: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.redraft.command.CommandError("ERR interrupted opening the Raft peer port");
        }
        context.executor().submitOnBehalf(session, WriteEntry.internal("RAFT.NODE", "INIT", Long.toString(nodeId), address));
    }

    /**
     * RAFT.CLUSTER JOIN host:port: checks at once, then suspends the session while a thread of
     * its own talks to the cluster (the keyspace thread must not wait on the network), and
     * answers it when the addition was accepted or failed.
     */
    public void join(ClientSession session, String memberAddress) {
        try {
            RaftPeers.parse("1@" + memberAddress);
        } catch (IllegalArgumentException e) {
            throw new io.redraft.command.CommandError("ERR invalid address '" + memberAddress + "': expected host:port");
        }
        String refusal = refusal(true);
        if (refusal == null) {
            refusal = notEmpty();
        }
        if (refusal != null) {
            throw new io.redraft.command.CommandError(refusal);
        }
        joining = true;
        session.suspend();
        Thread t = new Thread(() -> runJoin(session, memberAddress), "raft-cluster-join");
        t.setDaemon(true);
        t.start();
    }

    private void runJoin(ClientSession session, String memberAddress) {
        CommandExecutor executor = context.executor();
        String error = null;
        boolean reset = false;
        try {
            Map<Long, String> members = JoinRequest.members(memberAddress);
            if (members.containsKey(nodeId)) {
                // Checked before this node's log is dropped: two nodes with one id would confuse the peers.
                throw new IOException("node id " + nodeId + " is already a member of that cluster (at "
                        + members.get(nodeId) + "); give this node another raft-node-id");
            }
            String mine = server.bindHost() + ":" + server.announcedPeerPort();
            executor.thread().submit(() -> {
                String changed = notEmpty(); // a client may have written meanwhile
                if (changed != null) {
                    throw new IOException(changed.substring(4));
                }
                server.rejoin(memberAddress, members);
                return null;
            }).get();
            reset = true;
            JoinRequest.requestAddition(memberAddress, nodeId, mine);
            awaitOwnAddition();
        } catch (ExecutionException e) {
            error = String.valueOf(e.getCause().getMessage());
        } catch (IOException | RuntimeException e) {
            error = String.valueOf(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        String failure = error == null || !reset ? error
                : error + "; this node's own log was already replaced: it belongs to no cluster until RAFT.CLUSTER JOIN succeeds";
        executor.thread().execute(() -> {
            joining = false;
            if (!session.closing()) {
                if (failure == null) {
                    session.writer().ok();
                } else {
                    session.writer().error("ERR cannot join the cluster through " + memberAddress + ": " + failure);
                }
            }
            executor.resume(session);
        });
    }

    /**
     * The addition was accepted by the cluster; OK is sent once this node has applied it too (the
     * leader has reached it and it knows the members), so that RAFT.INFO here lists them and
     * other nodes can join through this one at once.
     */
    private void awaitOwnAddition() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!context.directory().view().containsKey(nodeId)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the cluster added this node, but its leader has not reached it within 30 s;"
                        + " RAFT.INFO shows its progress");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Why this node cannot INIT (or, forJoin, JOIN) now, or null. JOIN is also allowed on a node
     * whose earlier JOIN failed after its log was reset (no members yet: it may try again).
     */
    private String refusal(boolean forJoin) {
        if (joining) {
            return "ERR a RAFT.CLUSTER JOIN is in progress on this node";
        }
        RaftDriver raft = context.raft();
        if (raft == null) {
            return "ERR the Raft log is not open yet";
        }
        ServerConfig config = context.config();
        if (!config.get("raft-peers").isEmpty() || !config.get("raft-join").isEmpty() || context.directory().size() > 0) {
            return ALREADY;
        }
        Membership m = raft.status().membership();
        boolean alone = m.voters().size() == 1 && m.isVoter(nodeId) && m.learners().isEmpty();
        boolean memberless = m.voters().isEmpty() && m.learners().isEmpty();
        if (forJoin ? !(alone || memberless) : !(alone && server.peerPortClosed())) {
            return ALREADY;
        }
        return null;
    }

    private String notEmpty() {
        Keyspace ks = context.keyspace();
        for (int db = 0; db < ks.databaseCount(); db++) {
            if (ks.db(db).size() > 0) {
                return "ERR this node is not empty: it holds keys in database " + db
                        + "; only an empty node can join a cluster";
            }
        }
        if (!ks.waiters().isEmpty()) {
            return "ERR this node has clients blocked in commands; only an idle node can join a cluster";
        }
        return null;
    }
}
