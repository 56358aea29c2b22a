package io.redraft.command;

import io.redraft.server.ClusterFormation;

import java.nio.charset.StandardCharsets;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/**
 * RAFT.CLUSTER INIT | JOIN host:port | HELP: forming a cluster at run time from nodes started
 * without raft-peers ({@link ClusterFormation} does the work). Unknown subcommands and arity
 * errors get the executor's Redis-style texts ("Try RAFT.CLUSTER HELP.").
 */
final class RaftClusterCommands implements CommandFamily {
    private static final String[] HELP = {
            "RAFT.CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "INIT",
            "    Make this standalone node the first member of a new cluster: open its peer port",
            "    and write the cluster's address book. Other nodes then join through it.",
            "JOIN <host>:<port>",
            "    Join the cluster of the node at this client address (any member). Only an empty",
            "    standalone node can join; its own Raft log is replaced by the cluster's.",
            "HELP",
            "    Print this help."
    };

    @Override
    public void register(CommandTable t) {
        t.add(command("raft.cluster", -2).group("server").since("0.1.0").summary("A container for cluster forming commands.")
                .subcommand(command("init", 2).flags(ADMIN, NOSCRIPT, NO_MULTI).since("0.1.0").complexity("O(1)")
                        .summary("Makes this standalone node the first member of a new cluster.")
                        .handler(RaftClusterCommands::init))
                .subcommand(command("join", 3).flags(ADMIN, NOSCRIPT, NO_MULTI).since("0.1.0").complexity("O(1)")
                        .summary("Joins the cluster of the member at host:port (its client address).")
                        .handler(RaftClusterCommands::join))
                .subcommand(command("help", 2).flags(LOADING, STALE).since("0.1.0").complexity("O(1)")
                        .summary("Returns helpful text about the different subcommands.")
                        .handler((ctx, argv) -> ClientCommands.writeHelp(ctx, HELP))));
    }

    private static ClusterFormation formation(CommandContext ctx) {
        ClusterFormation f = ctx.server().formation();
        if (f == null || ctx.session() == null) {
            throw new CommandError("ERR the Raft log is not open yet");
        }
        return f;
    }

    private static void init(CommandContext ctx, byte[][] argv) {
        formation(ctx).init(ctx.session());
    }

    private static void join(CommandContext ctx, byte[][] argv) {
        formation(ctx).join(ctx.session(), new String(argv[2], StandardCharsets.UTF_8));
    }
}
