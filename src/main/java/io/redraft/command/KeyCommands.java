package io.redraft.command;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/** Generic key commands. */
final class KeyCommands implements CommandFamily {
    @Override
    public void register(CommandTable t) {
        t.add(command("del", -2).flags(WRITE).keys(1, -1, 1).group("generic").since("1.0.0")
                .summary("Deletes one or more keys.").handler(KeyCommands::del));
        t.add(command("exists", -2).flags(READONLY, FAST).keys(1, -1, 1).group("generic").since("1.0.0")
                .summary("Determines whether one or more keys exist.").handler(KeyCommands::exists));
    }

    private static void del(CommandContext ctx, byte[][] argv) {
        long n = 0;
        for (int i = 1; i < argv.length; i++) {
            if (ctx.db().delete(argv[i], ctx.now())) {
                n++;
            }
        }
        ctx.out().integer(n);
    }

    private static void exists(CommandContext ctx, byte[][] argv) {
        long n = 0;
        for (int i = 1; i < argv.length; i++) {
            if (ctx.db().lookupRead(argv[i], ctx.now()) != null) {
                n++;
            }
        }
        ctx.out().integer(n);
    }
}
