package io.redraft.command;


import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/** String commands. */
final class StringCommands implements CommandFamily {
    @Override
    public void register(CommandTable t) {
        t.add(command("get", 2).flags(READONLY, FAST).keys(1, 1, 1).group("string").since("1.0.0")
                .summary("Returns the string value of a key.").handler(StringCommands::get));
        t.add(command("set", -3).flags(WRITE, DENYOOM).keys(1, 1, 1).group("string").since("1.0.0")
                .summary("Sets the string value of a key, ignoring its type.").handler(StringCommands::set));
    }

    private static void get(CommandContext ctx, byte[][] argv) {
        ctx.out().bulk(ctx.db().getString(argv[1], ctx.now()));
    }

    private static void set(CommandContext ctx, byte[][] argv) {
        if (argv.length != 3) {
            throw CommandError.SYNTAX;
        }
        ctx.db().lookupWrite(argv[1], ctx.now());
        ctx.db().put(argv[1], argv[2], false);
        ctx.out().ok();
    }

}
