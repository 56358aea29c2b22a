package io.redraft.command;

import io.redraft.server.ConfigParameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/** Server commands: DBSIZE FLUSHDB FLUSHALL CONFIG COMMAND. */
final class ServerCommands implements CommandFamily {
    @Override
    public void register(CommandTable t) {
        t.add(command("dbsize", 1).flags(READONLY, FAST).group("server").since("1.0.0")
                .summary("Returns the number of keys in the database.")
                .handler((ctx, argv) -> ctx.out().integer(ctx.db().size())));
        t.add(command("flushdb", -1).flags(WRITE).group("server").since("1.0.0")
                .summary("Removes all keys from the current database.").handler(ServerCommands::flushdb));
        t.add(command("flushall", -1).flags(WRITE).group("server").since("1.0.0")
                .summary("Removes all keys from all databases.").handler(ServerCommands::flushall));
        t.add(command("config", -2).group("server").since("2.0.0").summary("A container for server configuration commands.")
                .subcommand(command("get", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("2.0.0")
                        .summary("Returns the effective values of configuration parameters.").handler(ServerCommands::configGet))
                .subcommand(command("set", -4).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("2.0.0")
                        .summary("Sets configuration parameters in-flight.").handler(ServerCommands::configSet)));
        t.add(command("command", -1).flags(LOADING, STALE).group("server").since("2.8.13")
                .summary("Returns detailed information about all commands.").handler((ctx, argv) -> ctx.out().arrayHeader(0))
                .subcommand(command("count", 2).flags(LOADING, STALE).since("2.8.13")
                        .summary("Returns a count of commands.")
                        .handler((ctx, argv) -> ctx.out().integer(ctx.server().table().size()))));
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
            found.putAll(ctx.server().config().matching(Args.str(argv[i])));
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
}
