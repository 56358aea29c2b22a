package io.redraft.command;

import io.redraft.cluster.SnapshotManager;
import java.io.IOException;

import io.redraft.server.ConfigParameter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/**
 * Server commands: DBSIZE FLUSHDB FLUSHALL CONFIG INFO TIME LASTSAVE. The diagnostics (DEBUG,
 * SLOWLOG, LATENCY, MEMORY) are in {@link DiagnosticCommands}, COMMAND in {@link CommandCommands}.
 */
final class ServerCommands implements CommandFamily {
    private static final String[] CONFIG_HELP = {
            "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
            "HELP",
            "    Print this help."
    };

    @Override
    public void register(CommandTable t) {
        t.add(command("dbsize", 1).flags(READONLY, FAST).group("server").since("1.0.0").complexity("O(1)")
                .acl("@keyspace", "@read", "@fast")
                .summary("Returns the number of keys in the database.")
                .handler((ctx, argv) -> ctx.out().integer(ctx.db().size())));
        t.add(command("flushdb", -1).flags(WRITE).group("server").since("1.0.0")
                .acl("@keyspace", "@write", "@slow", "@dangerous")
                .complexity("O(N) where N is the number of keys in the selected database")
                .summary("Removes all keys from the current database.").handler(ServerCommands::flushdb));
        t.add(command("flushall", -1).flags(WRITE).group("server").since("1.0.0")
                .acl("@keyspace", "@write", "@slow", "@dangerous")
                .complexity("O(N) where N is the total number of keys in all databases")
                .summary("Removes all keys from all databases.").handler(ServerCommands::flushall));
        t.add(command("config", -2).group("server").since("2.0.0").complexity("Depends on subcommand.")
                .summary("A container for server configuration commands.")
                .subcommand(configSub("get", -3, "2.0.0", "Returns the effective values of configuration parameters.",
                        ServerCommands::configGet).complexity("O(N) when N is the number of configuration parameters provided"))
                .subcommand(configSub("set", -4, "2.0.0", "Sets configuration parameters in-flight.",
                        ServerCommands::configSet).complexity("O(N) when N is the number of configuration parameters provided"))
                .subcommand(configSub("resetstat", 2, "2.0.0", "Resets the server's statistics.",
                        ServerCommands::configResetStat).complexity("O(1)"))
                .subcommand(configSub("rewrite", 2, "2.8.0", "Persists the effective configuration to file.",
                        ServerCommands::configRewrite).complexity("O(1)"))
                .subcommand(configSub("help", 2, "5.0.0", "Returns helpful text about the different subcommands.",
                        (ctx, argv) -> ClientCommands.writeHelp(ctx, CONFIG_HELP)).complexity("O(1)")));
        t.add(command("info", -1).flags(LOADING, STALE).group("server").since("1.0.0").acl("@slow", "@dangerous")
                .complexity("O(1)").summary("Returns information and statistics about the server.")
                .handler(InfoCommand::info));
        t.add(command("time", 1).flags(LOADING, STALE, FAST).group("server").since("2.6.0").acl("@fast")
                .complexity("O(1)").summary("Returns the server time.").handler(ServerCommands::time));
        t.add(command("lastsave", 1).flags(LOADING, STALE, FAST).group("server").since("1.0.0")
                .acl("@admin", "@fast", "@dangerous").complexity("O(1)")
                .summary("Returns the Unix timestamp of the last successful save to disk.")
                .handler((ctx, argv) -> ctx.out().integer(ctx.server().lastSaveSeconds())));
        t.add(command("save", 1).flags(ADMIN, NOSCRIPT, NO_MULTI).group("server").since("1.0.0")
                .acl("@admin", "@slow", "@dangerous").complexity("O(N) where N is the total number of keys in all databases")
                .summary("Synchronously saves the database(s) to disk.").handler(ServerCommands::save));
        t.add(command("bgsave", -1).flags(ADMIN, NOSCRIPT).group("server").since("1.0.0")
                .acl("@admin", "@slow", "@dangerous").complexity("O(1)")
                .summary("Asynchronously saves the database(s) to disk.").handler(ServerCommands::bgsave));
        t.add(command("shutdown", -1).flags(ADMIN, NOSCRIPT, LOADING, STALE, NO_MULTI, ALLOW_BUSY).group("server")
                .since("1.0.0").acl("@admin", "@slow", "@dangerous").complexity("O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)")
                .summary("Synchronously saves the database(s) to disk and shuts down the Redis server.")
                .handler(ServerCommands::shutdown));
    }

    /**
     * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. On success the server closes every connection
     * without a reply, as Redis does. Redraft has no snapshots yet, so SAVE cannot be honoured:
     * it fails the way Redis does when its save fails, rather than stopping without the save.
     */
    private static void shutdown(CommandContext ctx, byte[][] argv) {
        boolean save = false;
        boolean nosave = false;
        boolean abort = false;
        for (int i = 1; i < argv.length; i++) {
            if (Args.is(argv[i], "nosave")) {
                nosave = true;
            } else if (Args.is(argv[i], "save")) {
                save = true;
            } else if (Args.is(argv[i], "abort")) {
                abort = true;
            } else if (!Args.is(argv[i], "now") && !Args.is(argv[i], "force")) {
                throw CommandError.SYNTAX;
            }
        }
        if ((abort && argv.length > 2) || (save && nosave)) {
            throw CommandError.SYNTAX;
        }
        if (abort) {
            throw new CommandError("ERR No shutdown in progress.");
        }
        if (save) {
            try {
                snapshots(ctx).saveNow();
            } catch (IOException | RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(ServerCommands.class).warn("SHUTDOWN SAVE: the snapshot failed: {}", e.toString());
                throw new CommandError("ERR Errors trying to SHUTDOWN. Check logs.");
            }
        }
        org.slf4j.LoggerFactory.getLogger(ServerCommands.class).info("User requested shutdown...");
        ctx.session().closeAfterReply();
        ctx.server().requestShutdown();
    }

    private static SnapshotManager snapshots(CommandContext ctx) {
        SnapshotManager m = ctx.server().snapshots();
        if (m == null) {
            throw new CommandError("ERR the Raft log is not open yet");
        }
        return m;
    }

    /** SAVE: a snapshot now, on the keyspace thread (every other client waits, as with Redis). */
    private static void save(CommandContext ctx, byte[][] argv) {
        SnapshotManager m = snapshots(ctx);
        if (m.inProgress()) {
            throw new CommandError("ERR Background save already in progress");
        }
        try {
            m.saveNow();
        } catch (IOException | RuntimeException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        ctx.out().ok();
    }

    /** BGSAVE [SCHEDULE]: a snapshot written between other work. */
    private static void bgsave(CommandContext ctx, byte[][] argv) {
        if (argv.length > 2 || (argv.length == 2 && !Args.is(argv[1], "schedule"))) {
            throw CommandError.SYNTAX;
        }
        SnapshotManager m = snapshots(ctx);
        if (m.inProgress()) {
            if (argv.length == 2) {
                ctx.out().simple("Background saving scheduled");
                return;
            }
            throw new CommandError("ERR Background save already in progress");
        }
        if (!m.start("BGSAVE")) {
            throw new CommandError("ERR Background save failed to start. Check logs.");
        }
        ctx.out().simple("Background saving started");
    }

    private static CommandSpec.Builder configSub(String name, int arity, String since, String summary, CommandHandler h) {
        return command(name, arity).flags(ADMIN, NOSCRIPT, LOADING, STALE).since(since).summary(summary)
                .acl("@admin", "@slow", "@dangerous").handler(h);
    }

    private static void flushFlags(byte[][] argv) {
        if (argv.length > 2 || (argv.length == 2 && !Args.is(argv[1], "sync") && !Args.is(argv[1], "async"))) {
            throw CommandError.SYNTAX;
        }
    }

    private static void flushdb(CommandContext ctx, byte[][] argv) {
        flushFlags(argv);
        ctx.db().clear();
        ctx.out().ok();
    }

    private static void flushall(CommandContext ctx, byte[][] argv) {
        flushFlags(argv);
        ctx.keyspace().flushAll();
        ctx.out().ok();
    }

    private static void configGet(CommandContext ctx, byte[][] argv) {
        Map<String, ConfigParameter> found = new LinkedHashMap<>();
        for (int i = 2; i < argv.length; i++) {
            for (Map.Entry<String, ConfigParameter> e : ctx.server().config().matching(Args.str(argv[i])).entrySet()) {
                found.putIfAbsent(e.getKey(), e.getValue());
            }
        }
        ctx.out().mapHeader(found.size());
        for (Map.Entry<String, ConfigParameter> e : found.entrySet()) {
            ctx.out().bulk(e.getKey());
            ctx.out().bulk(e.getValue().display());
        }
    }

    private static void configSet(CommandContext ctx, byte[][] argv) {
        if (argv.length % 2 != 0) {
            throw new CommandError("ERR wrong number of arguments for 'config|set' command");
        }
        List<String[]> pairs = new ArrayList<>();
        for (int i = 2; i < argv.length; i += 2) {
            pairs.add(new String[]{Args.str(argv[i]), Args.str(argv[i + 1])});
        }
        String err = ctx.server().config().set(pairs);
        if (err != null) {
            throw new CommandError(err);
        }
        ctx.out().ok();
    }

    /** CONFIG RESETSTAT: what Redis resets (server, command and error statistics), not the slow log. */
    private static void configResetStat(CommandContext ctx, byte[][] argv) {
        ctx.server().stats().reset();
        ctx.keyspace().stats.reset();
        for (CommandSpec spec : ctx.server().table().all()) {
            spec.resetStats();
        }
        ctx.out().ok();
    }

    private static void configRewrite(CommandContext ctx, byte[][] argv) {
        try {
            ctx.server().config().rewrite();
        } catch (IllegalStateException e) {
            throw new CommandError(e.getMessage());
        } catch (IOException e) {
            throw new CommandError("ERR Rewriting config file: " + e.getMessage());
        }
        ctx.out().ok();
    }

    private static void time(CommandContext ctx, byte[][] argv) {
        java.time.Instant now = java.time.Instant.now();
        ctx.out().arrayHeader(2);
        ctx.out().bulkLong(now.getEpochSecond());
        ctx.out().bulkLong(now.getNano() / 1000);
    }
}
