package io.redraft.command;

import io.redraft.cluster.ClusterDirectory;
import io.redraft.cluster.RaftDriver;
import io.redraft.cluster.RaftPeers;
import io.redraft.cluster.RaftStatus;
import io.redraft.raft.Role;
import io.redraft.resp.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/**
 * Redraft's own commands about its Raft group (RAFT.INFO, RAFT.NODE ADD/REMOVE, RAFT.TRANSFER-LEADER) and ROLE, which
 * Redis clients use to find the primary: the Raft leader answers as a master, a follower as a
 * replica of the leader.
 */
final class RaftCommands implements CommandFamily {
    private static final CommandError NOT_LEADER = new CommandError("ERR this node is not the Raft leader");

    @Override
    public void register(CommandTable t) {
        t.add(command("raft.info", 1).flags(LOADING, STALE).group("server").since("0.1.0").complexity("O(N) members")
                .summary("Returns this node's Raft state, as the raft section of INFO.")
                .handler(RaftCommands::info));
        t.add(command("raft.transfer-leader", -1).flags(ADMIN, NOSCRIPT, LOADING, STALE).group("server").since("0.1.0")
                .complexity("O(1)").summary("Hands the Raft leadership to another voter (the most up to date by default).")
                .handler(RaftCommands::transferLeader));
        t.add(command("raft.node", -2).group("server").since("0.1.0").summary("A container for membership commands.")
                .subcommand(command("init", -4).flags(WRITE, ADMIN, NOSCRIPT).since("0.1.0").complexity("O(N)")
                        .summary("Writes the first address book of a cluster formed from raft-peers (its leader does"
                                + " this); no effect once the book exists.")
                        .handler(RaftCommands::initNodes))
                .subcommand(command("add", -4).flags(WRITE, ADMIN, NOSCRIPT).since("0.1.0").complexity("O(1)")
                        .summary("Adds nodes (id host:port of their peer port) to the cluster: each joins as a"
                                + " learner, catches up and becomes a voter.")
                        .handler(RaftCommands::addNodes))
                .subcommand(command("announce", 4).flags(WRITE, ADMIN, NOSCRIPT).since("0.1.0").complexity("O(1)")
                        .summary("Records the client address (host:port) of a member, named in -MOVED redirections;"
                                + " each node proposes its own.")
                        .handler(RaftCommands::announce))
                .subcommand(command("remove", 3).flags(WRITE, ADMIN, NOSCRIPT).since("0.1.0").complexity("O(1)")
                        .summary("Removes a node from the cluster (the leader too: it hands over its leadership first).")
                        .handler(RaftCommands::removeNode)));
        t.add(command("role", 1).flags(NOSCRIPT, LOADING, STALE, FAST).group("server").since("2.8.12")
                .acl("@admin", "@fast", "@dangerous").complexity("O(1)")
                .summary("Returns the replication role.").handler(RaftCommands::role));
    }

    private static final CommandError NO_BOOK = new CommandError("ERR the cluster is still starting: its address book"
            + " is not written yet; try again");

    /** RAFT.NODE INIT id host:port [...]: the book's first content; ignored if there is one. */
    private static void initNodes(CommandContext ctx, byte[][] argv) {
        if (ctx.server().directory().size() > 0) {
            ctx.out().ok();
            return;
        }
        putNodes(ctx, argv);
    }

    /** RAFT.NODE ADD id host:port [id host:port ...], applied on every node from the log. */
    private static void addNodes(CommandContext ctx, byte[][] argv) {
        if (ctx.server().directory().size() == 0) {
            throw NO_BOOK;
        }
        putNodes(ctx, argv);
    }

    private static void putNodes(CommandContext ctx, byte[][] argv) {
        if ((argv.length - 2) % 2 != 0) {
            throw new CommandError("ERR syntax error");
        }
        ClusterDirectory dir = ctx.server().directory();
        Map<Long, String> adding = new LinkedHashMap<>();
        for (int i = 2; i < argv.length; i += 2) {
            String id = new String(argv[i], StandardCharsets.UTF_8);
            String address = new String(argv[i + 1], StandardCharsets.UTF_8);
            long nodeId;
            try {
                // Validates like raft-peers: id > 0, host:port.
                nodeId = RaftPeers.parse(id + "@" + address).keySet().iterator().next();
            } catch (IllegalArgumentException e) {
                throw new CommandError("ERR invalid node '" + id + " " + address + "': expected id host:port");
            }
            String known = dir.address(nodeId);
            if (known != null && !known.equals(address)) {
                throw new CommandError("ERR node " + nodeId + " is already in the cluster at " + known + "; remove it first");
            }
            adding.put(nodeId, address);
        }
        adding.forEach(dir::put);
        ctx.out().ok();
    }

    /** RAFT.NODE ANNOUNCE id host:port: applied on every node; a node not in the book is ignored. */
    private static void announce(CommandContext ctx, byte[][] argv) {
        long id = Args.toLong(argv[2]);
        String address = new String(argv[3], StandardCharsets.UTF_8);
        try {
            RaftPeers.parse(id + "@" + address); // validates id > 0 and host:port
        } catch (IllegalArgumentException e) {
            throw new CommandError("ERR invalid node '" + id + " " + address + "': expected id host:port");
        }
        ctx.server().directory().putClientAddress(id, address);
        ctx.out().ok();
    }

    private static void removeNode(CommandContext ctx, byte[][] argv) {
        long id = Args.toLong(argv[2]);
        ClusterDirectory dir = ctx.server().directory();
        if (dir.size() == 0) {
            throw NO_BOOK;
        }
        if (!dir.contains(id)) {
            throw new CommandError("ERR node " + id + " is not in the cluster");
        }
        if (dir.size() == 1) {
            throw new CommandError("ERR cannot remove the last node of the cluster");
        }
        dir.remove(id);
        ctx.out().ok();
    }

    static RaftStatus status(CommandContext ctx) {
        RaftDriver raft = ctx.server().raft();
        if (raft == null) {
            throw new CommandError("ERR the Raft log is not open yet");
        }
        return raft.status();
    }

    private static void info(CommandContext ctx, byte[][] argv) {
        ctx.out().verbatim("# Raft\r\n" + status(ctx).infoFields(ctx.server().executor().stateMachine().appliedIndex(),
                ctx.server().directory()::clientAddress));
    }

    private static void transferLeader(CommandContext ctx, byte[][] argv) {
        if (argv.length > 2) {
            throw new CommandError("ERR syntax error");
        }
        long target = argv.length == 2 ? Args.toLong(argv[1]) : 0;
        RaftDriver raft = ctx.server().raft();
        if (raft == null || !raft.isLeader()) {
            throw NOT_LEADER;
        }
        long to = raft.transferLeadership(target);
        if (to == 0) {
            throw new CommandError("ERR cannot transfer the leadership" + (target == 0 ? "" : " to node " + target)
                    + ": no such voter, or it is this node");
        }
        ctx.out().integer(to);
    }

    /**
     * ROLE: the leader is "master" with its followers as replicas (address, match index); a
     * follower is "slave" of the leader ("connected" once it knows one). Offsets are log indexes;
     * addresses are client addresses once announced, so that clients can connect to them.
     */
    private static void role(CommandContext ctx, byte[][] argv) {
        RaftStatus st = status(ctx);
        RespWriter out = ctx.out();
        long applied = ctx.server().executor().stateMachine().appliedIndex();
        if (st.role() == Role.LEADER) {
            List<RaftStatus.Member> others = new ArrayList<>();
            for (RaftStatus.Member m : st.members()) {
                if (m.id() != st.nodeId()) {
                    others.add(m);
                }
            }
            out.arrayHeader(3);
            out.bulk("master");
            out.integer(applied);
            out.arrayHeader(others.size());
            for (RaftStatus.Member m : others) {
                String[] hostPort = splitAddress(clientAddress(ctx, m.id(), m.address()));
                out.arrayHeader(3);
                out.bulk(hostPort[0]);
                out.bulk(hostPort[1]);
                out.bulk(Long.toString(Math.max(0, m.match())));
            }
            return;
        }
        String[] leader = st.leaderId() == 0 ? new String[]{"?", "0"}
                : splitAddress(clientAddress(ctx, st.leaderId(), ctx.server().raft().addressOf(st.leaderId())));
        out.arrayHeader(5);
        out.bulk("slave");
        out.bulk(leader[0]);
        out.integer(Long.parseLong(leader[1]));
        out.bulk(st.leaderId() == 0 ? "connect" : "connected");
        out.integer(applied);
    }

    /**
     * The address a Redis client connects to for node id: its announced client address (RAFT.NODE
     * ANNOUNCE), else its peer address (before it has announced one).
     */
    private static String clientAddress(CommandContext ctx, long id, String peerAddress) {
        String client = ctx.server().directory().clientAddress(id);
        return client != null ? client : peerAddress;
    }

    private static String[] splitAddress(String address) {
        int colon = address.lastIndexOf(':');
        return colon < 0 ? new String[]{address, "0"} : new String[]{address.substring(0, colon), address.substring(colon + 1)};
    }
}
