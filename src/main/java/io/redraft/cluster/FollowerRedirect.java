package io.redraft.cluster;

import io.redraft.command.CommandFlag;
import io.redraft.command.CommandSpec;
import io.redraft.server.ClientSession;
import io.redraft.server.ServerContext;

/**
 * {@code follower-redirect yes}: a follower answers a write with {@code -MOVED <slot>
 * <leader-host>:<leader-client-port>}, as a Redis Cluster node answers for a slot it does not
 * serve, instead of forwarding it to the leader. The slot is the first key's ({@link HashSlot}),
 * 0 for a command without keys; cluster-aware clients (Jedis's JedisCluster, Lettuce's
 * RedisClusterClient) follow it.
 *
 * <p>What is redirected: commands Redis flags write (blocking ones included). Not redirected:
 * reads (a follower serves them itself, after a ReadIndex barrier when linearizable); PUBLISH and
 * SPUBLISH, which Redis Cluster accepts on any node; Redraft's admin writes (RAFT.NODE ...), so
 * that a joining node can ask any member; and everything while no leader is known, or while the
 * leader's client address has not been announced yet (then the command is forwarded or waits for
 * a leader as with follower-redirect no, and fails with CLUSTERDOWN after raft-request-timeout).
 *
 * <p>Inside MULTI the first queued write gets the -MOVED, exactly as Redis Cluster's
 * processCommand does, and the transaction is doomed: EXEC answers EXECABORT, and the client
 * retries the whole transaction on the leader. A transaction of reads only is served by the
 * follower (its EXEC is ordered through the log as usual).
 */
public final class FollowerRedirect {
    private final ServerContext server;

    public FollowerRedirect(ServerContext server) {
        this.server = server;
    }

    /** The -MOVED error for this command on this node now, or null to carry it out as usual. Keyspace thread. */
    public String moved(ClientSession session, CommandSpec spec, byte[][] argv) {
        if (!spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.ADMIN)) {
            return null;
        }
        RaftDriver raft = server.raft();
        if (raft == null || raft.isLeader() || !server.config().getBool("follower-redirect")) {
            return null; // the leader, the common case, skips the config lookup
        }
        long leader = raft.leaderId();
        String address = leader == 0 ? null : server.directory().clientAddress(leader);
        if (address == null) {
            return null;
        }
        return "MOVED " + HashSlot.of(spec, argv) + " " + address;
    }
}
