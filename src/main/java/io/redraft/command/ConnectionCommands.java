package io.redraft.command;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/** Connection commands: PING ECHO SELECT QUIT. */
final class ConnectionCommands implements CommandFamily {
    @Override
    public void register(CommandTable t) {
        t.add(command("ping", -1).flags(FAST, STALE, LOADING).group("connection").since("1.0.0")
                .summary("Returns the server's liveliness response.").handler(ConnectionCommands::ping));
        t.add(command("echo", 2).flags(FAST, STALE, LOADING).group("connection").since("1.0.0")
                .summary("Returns the given string.").handler((ctx, argv) -> ctx.out().bulk(argv[1])));
        t.add(command("select", 2).flags(FAST, STALE, LOADING).group("connection").since("1.0.0")
                .summary("Changes the selected database.").handler(ConnectionCommands::select));
        t.add(command("quit", -1).flags(FAST, STALE, LOADING, NO_AUTH, ALLOW_BUSY).group("connection")
                .since("1.0.0").summary("Closes the connection.").handler(ConnectionCommands::quit));
    }

    private static void ping(CommandContext ctx, byte[][] argv) {
        if (argv.length > 2) {
            throw new CommandError("ERR wrong number of arguments for 'ping' command");
        }
        if (argv.length == 2) {
            ctx.out().bulk(argv[1]);
        } else {
            ctx.out().simple("PONG");
        }
    }

    private static void select(CommandContext ctx, byte[][] argv) {
        Long id = io.redraft.resp.RedisNumbers.parseLong(argv[1]);
        if (id == null || id < Integer.MIN_VALUE || id > Integer.MAX_VALUE) {
            throw CommandError.NOT_INTEGER;
        }
        if (id < 0 || id >= ctx.keyspace().databaseCount()) {
            throw new CommandError("ERR DB index is out of range");
        }
        ctx.session().db(id.intValue());
        ctx.out().ok();
    }

    private static void quit(CommandContext ctx, byte[][] argv) {
        ctx.out().ok();
        ctx.session().closeAfterReply();
    }
}
