package io.redraft.command;

import io.redraft.cluster.RaftDriver;
import io.redraft.cluster.RaftStatus;
import io.redraft.raft.Role;
import io.redraft.resp.RespWriter;

import java.util.ArrayList;
import java.util.List;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/**
 * Redraft's own commands about its Raft group (RAFT.INFO, RAFT.TRANSFER-LEADER) and ROLE, which
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
        t.add(command("role", 1).flags(NOSCRIPT, LOADING, STALE, FAST).group("server").since("2.8.12")
                .acl("@admin", "@fast", "@dangerous").complexity("O(1)")
                .summary("Returns the replication role.").handler(RaftCommands::role));
    }

    static RaftStatus status(CommandContext ctx) {
        RaftDriver raft = ctx.server().raft();
        if (raft == null) {
            throw new CommandError("ERR the Raft log is not open yet");
        }
        return raft.status();
    }

    private static void info(CommandContext ctx, byte[][] argv) {
        ctx.out().verbatim("# Raft\r\n" + status(ctx).infoFields(ctx.server().executor().stateMachine().appliedIndex()));
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
     * follower is "slave" of the leader ("connected" once it knows one). Offsets are log indexes.
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
                String[] hostPort = splitAddress(m.address());
                out.arrayHeader(3);
                out.bulk(hostPort[0]);
                out.bulk(hostPort[1]);
                out.bulk(Long.toString(Math.max(0, m.match())));
            }
            return;
        }
        String[] leader = st.leaderId() == 0 ? new String[]{"?", "0"} : splitAddress(ctx.server().raft().addressOf(st.leaderId()));
        out.arrayHeader(5);
        out.bulk("slave");
        out.bulk(leader[0]);
        out.integer(Long.parseLong(leader[1]));
        out.bulk(st.leaderId() == 0 ? "connect" : "connected");
        out.integer(applied);
    }

    private static String[] splitAddress(String address) {
        int colon = address.lastIndexOf(':');
        return colon < 0 ? new String[]{address, "0"} : new String[]{address.substring(0, colon), address.substring(colon + 1)};
    }
}
