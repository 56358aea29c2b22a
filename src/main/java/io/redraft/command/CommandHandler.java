package io.redraft.command;

/**
 * The code of one command. It reads its arguments, works on {@code ctx.db()} at time
 * {@code ctx.now()}, and writes exactly one reply to {@code ctx.out()}.
 *
 * <p>Handlers of WRITE commands run inside the apply of a log entry on every node: they must be
 * deterministic, using only argv, the entry's database and timestamp ({@code ctx.now()}) and
 * {@code ctx.random()} (seeded from the entry's index) — never the client session, the clock or
 * shared randomness.
 */
@FunctionalInterface
public interface CommandHandler {
    void execute(CommandContext ctx, byte[][] argv);
}
