package io.redraft.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redraft.command.CommandContext;
import io.redraft.command.CommandSpec;
import io.redraft.command.CommandTable;
import io.redraft.resp.RedisNumbers;
import io.redraft.resp.RespWriter;
import io.redraft.server.ClientSession;
import io.redraft.server.TransactionState.WatchedKey;
import io.redraft.store.Keyspace;
import io.redraft.store.WatchLedger;

/**
 * Applies a committed MULTI/EXEC entry: checks the WATCHed keys, then runs every queued command
 * in one apply, so no other entry can interleave on any node. The reply is EXEC's: a null array
 * when a watched key changed, else an array of each command's reply, runtime errors included.
 *
 * <p>Writes run on every node. Commands without the write flag only produce a reply, so they run
 * only where the client waits; SELECT is the one whose effect later commands depend on, and the
 * database it selects is followed here on every node.
 */
final class TransactionApplier {
    private final Keyspace keyspace;
    private final CommandTable table;
    private final CommandContext ctx;
    private final CommandInvoker invoker;
    private final CommandSpec exec;
    private final CommandSpec select;
    private final ByteBuf discard = Unpooled.buffer(256);
    private final RespWriter discardWriter = new RespWriter(discard);

    TransactionApplier(Keyspace keyspace, CommandTable table, CommandContext ctx, CommandInvoker invoker) {
        this.keyspace = keyspace;
        this.table = table;
        this.ctx = ctx;
        this.invoker = invoker;
        this.exec = table.lookup(bytes("exec"));
        this.select = table.lookup(bytes("select"));
    }

    void apply(long index, WriteEntry entry, ClientSession session) {
        TransactionEntry tx = TransactionEntry.fromEntry(entry);
        boolean dropReply = session != null && session.writeAnswered(); // EXEC sent under CLIENT REPLY OFF/SKIP
        boolean local = session != null && !session.closing();
        RespWriter out = local ? session.writer() : discardWriter;
        int mark = local ? session.outputMark() : 0;
        exec.calls++;
        try {
            if (watchedKeyChanged(tx, entry.timestamp())) {
                out.nullArray();
                return;
            }
            out.arrayHeader(tx.commands().size());
            int db = entry.db();
            for (byte[][] argv : tx.commands()) {
                CommandSpec spec = table.resolve(argv);
                if (spec == null) {
                    out.error("ERR unknown command in transaction"); // queueing checked it: not reached
                    continue;
                }
                if (local || spec.isWrite()) {
                    ctx.reset(spec, keyspace.db(db), entry.timestamp(), index, out, session);
                    invoker.invoke(spec, ctx, argv);
                }
                if (spec == select) {
                    db = selected(argv, db);
                }
            }
        } finally {
            if (dropReply && local) {
                session.discardOutputSince(mark);
            }
            discard.clear();
        }
    }

    private boolean watchedKeyChanged(TransactionEntry tx, long now) {
        WatchLedger ledger = keyspace.watchLedger();
        for (WatchedKey w : tx.watched()) {
            if (w.db() >= keyspace.databaseCount()
                    || ledger.changedSince(keyspace.db(w.db()), w.key(), w.since(), w.live(), now)) {
                return true;
            }
        }
        return false;
    }

    /** The database after a queued SELECT: its argument if valid (else SELECT failed and nothing changes). */
    private int selected(byte[][] argv, int current) {
        Long id = RedisNumbers.parseLong(argv[1]);
        return id != null && id >= 0 && id < keyspace.databaseCount() ? id.intValue() : current;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
