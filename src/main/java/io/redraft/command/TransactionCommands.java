package io.redraft.command;

import io.redraft.server.TransactionState;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/**
 * MULTI EXEC DISCARD WATCH UNWATCH. These handlers only keep the connection's
 * {@link TransactionState}; queueing inside MULTI and EXEC itself are the executor's
 * (cluster.TransactionQueue), and the transaction is applied from the log as one entry
 * (cluster.TransactionApplier), so EXEC's handler is reached only without MULTI.
 */
final class TransactionCommands implements CommandFamily {
    @Override
    public void register(CommandTable t) {
        t.add(spec("multi", 1, "1.2.0", "Starts a transaction.", "O(1)", TransactionCommands::multi)
                .flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).acl("@fast", "@transaction"));
        t.add(spec("exec", 1, "1.2.0", "Executes all commands in a transaction.",
                "Depends on commands in the transaction", TransactionCommands::exec)
                .flags(NOSCRIPT, LOADING, STALE, SKIP_SLOWLOG).acl("@slow", "@transaction"));
        t.add(spec("discard", 1, "2.0.0", "Discards a transaction.",
                "O(N), when N is the number of queued commands", TransactionCommands::discard)
                .flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).acl("@fast", "@transaction"));
        t.add(spec("watch", -2, "2.2.0", "Monitors changes to keys to determine the execution of a transaction.",
                "O(1) for every key.", TransactionCommands::watch)
                .flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).keys(1, -1, 1).acl("@fast", "@transaction"));
        t.add(spec("unwatch", 1, "2.2.0", "Forgets about watched keys of a transaction.", "O(1)",
                TransactionCommands::unwatch)
                .flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).acl("@fast", "@transaction"));
    }

    private static CommandSpec.Builder spec(String name, int arity, String since, String summary,
                                            String complexity, CommandHandler handler) {
        return command(name, arity).group("transactions").since(since).summary(summary)
                .complexity(complexity).handler(handler);
    }

    private static void multi(CommandContext ctx, byte[][] argv) {
        TransactionState tx = ctx.session().transaction();
        if (tx.active()) {
            throw new CommandError("ERR MULTI calls can not be nested");
        }
        tx.begin();
        ctx.out().ok();
    }

    private static void exec(CommandContext ctx, byte[][] argv) {
        throw new CommandError("ERR EXEC without MULTI");
    }

    private static void discard(CommandContext ctx, byte[][] argv) {
        TransactionState tx = ctx.session().transaction();
        if (!tx.active()) {
            throw new CommandError("ERR DISCARD without MULTI");
        }
        tx.clear();
        ctx.out().ok();
    }

    /**
     * Records each key with the last applied log index and whether the key is live now; EXEC's
     * apply aborts if the key changed after that index (see store.WatchLedger).
     */
    private static void watch(CommandContext ctx, byte[][] argv) {
        TransactionState tx = ctx.session().transaction();
        if (tx.active()) {
            throw new CommandError("ERR WATCH inside MULTI is not allowed");
        }
        long since = ctx.keyspace().applyIndex();
        int db = ctx.session().db();
        for (int i = 1; i < argv.length; i++) {
            tx.watch(db, argv[i], since, ctx.db().peek(argv[i], ctx.now()) != null);
        }
        ctx.out().ok();
    }

    private static void unwatch(CommandContext ctx, byte[][] argv) {
        ctx.session().transaction().unwatch();
        ctx.out().ok();
    }
}
