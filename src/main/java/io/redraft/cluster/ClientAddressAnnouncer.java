package io.redraft.cluster;

import io.redraft.server.ServerContext;

import java.util.concurrent.TimeUnit;

/**
 * Makes this node's client address known to the cluster, so that a follower can send clients to
 * the leader with {@code -MOVED slot host:port} (follower-redirect). The address book holds peer
 * addresses only; each member proposes {@code RAFT.NODE ANNOUNCE id host:port} for itself, with
 * the host of its peer address (what the other nodes reach it at) and its bound client port,
 * whenever the applied book lacks it or holds another (e.g. the port changed across a restart).
 * A lost proposal is simply made again. Keyspace thread.
 */
public final class ClientAddressAnnouncer {
    private static final long CHECK_MILLIS = 250;
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ServerContext server;
    private final long nodeId;
    private long lastProposedNanos;
    private boolean proposedOnce;

    public ClientAddressAnnouncer(ServerContext server) {
        this.server = server;
        this.nodeId = server.config().getLong("raft-node-id");
    }

    /** Once the client port is bound. */
    public void start() {
        CommandExecutor executor = server.executor();
        executor.thread().scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** This node's client address as it should be announced, or null while it is not in the book. */
    String wanted() {
        String peer = server.directory().address(nodeId);
        if (peer == null) {
            return null;
        }
        int colon = peer.lastIndexOf(':');
        return (colon < 0 ? peer : peer.substring(0, colon)) + ":" + server.port();
    }

    private void check() {
        RaftDriver raft = server.raft();
        String mine = wanted();
        if (raft == null || mine == null || mine.equals(server.directory().clientAddress(nodeId))
                || raft.leaderId() == 0) {
            return;
        }
        long now = System.nanoTime();
        if (proposedOnce && now - lastProposedNanos < RETRY_NANOS) {
            return; // the last proposal may still be on its way
        }
        proposedOnce = true;
        lastProposedNanos = now;
        server.executor().propose(WriteEntry.internal("RAFT.NODE", "ANNOUNCE", Long.toString(nodeId), mine));
    }
}
