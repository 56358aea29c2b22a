package io.redraft.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redraft.command.CommandContext;
import io.redraft.command.CommandSpec;
import io.redraft.resp.RespWriter;
import io.redraft.server.ClientSession;
import io.redraft.server.ServerContext;
import io.redraft.store.Database;
import io.redraft.store.Keyspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies committed write entries to the keyspace, in log order, on the keyspace thread. The
 * same entry applied on any node gives the same result: its database, its timestamp as "now",
 * its index as the version of the keys it changes and as the seed of its randomness.
 */
public final class KeyspaceStateMachine {
    private static final Logger log = LoggerFactory.getLogger(KeyspaceStateMachine.class);

    private final ServerContext server;
    private final Keyspace keyspace;
    private final CommandContext ctx;
    private final CommandInvoker invoker;
    /** Where replies go when no client on this node waits for them; cleared after each entry. */
    private final ByteBuf discard = Unpooled.buffer(256);
    private final RespWriter discardWriter = new RespWriter(discard);
    private final TransactionApplier transactions;
    private long appliedIndex;
    /** Writes applied since this node started (a batch entry counts each of its writes). */
    private long appliedWrites;
    private long lastTimestamp;
    private final BlockedClients blockedClients;
    private final BlockingApply blocking;

    public KeyspaceStateMachine(ServerContext server, CommandContext ctx, CommandInvoker invoker) {
        this.server = server;
        this.keyspace = server.keyspace();
        this.ctx = ctx;
        this.invoker = invoker;
        this.transactions = new TransactionApplier(keyspace, server.table(), ctx, invoker);
        this.blockedClients = new BlockedClients(server);
        this.blocking = new BlockingApply(server, ctx, blockedClients);
    }

    /** This node's clients blocked in BLPOP… (node-local; CLIENT UNBLOCK, INFO). */
    public BlockedClients blockedClients() {
        return blockedClients;
    }

    /**
     * Called at start on a single node: proposes the end of blocked commands whose client is not
     * connected here, so a restart does not leave them waiting on data forever. (In a running
     * cluster a leader change ends every waiter at the new leader's no-op: applyLeaderNoop.)
     */
    public void onLeadershipAcquired() {
        blockedClients.proposeOrphanRemoval();
    }

    public long appliedIndex() {
        return appliedIndex;
    }

    public long appliedWrites() {
        return appliedWrites;
    }

    /** The timestamp of the last write entry applied (a snapshot's creation time on every node). */
    public long lastTimestamp() {
        return lastTimestamp;
    }

    /**
     * An entry with no effect on the keyspace (a leader's no-op, a membership change) was
     * applied at index: the applied index moves on all the same.
     */
    public void applyEmpty(long index) {
        appliedIndex = index;
    }

    /** A new leader's no-op was applied at index: blocking commands end ({@link BlockingApply#endAllForNewLeader}). */
    public void applyLeaderNoop(long index) {
        appliedIndex = index;
        blocking.endAllForNewLeader();
    }

    /** Applies the entry at index; the reply goes to session if it is waiting on this node. */
    public void apply(long index, WriteEntry entry, ClientSession session) {
        appliedIndex = index;
        appliedWrites++;
        lastTimestamp = entry.timestamp();
        keyspace.beginApply(index);
        Database db = keyspace.db(entry.db());
        switch (entry.kind()) {
            case WriteEntry.COMMAND -> applyCommand(index, entry, entry.argv(), db, session);
            case WriteEntry.EXPIRE -> db.lookupWrite(entry.argv()[0], entry.timestamp());
            case WriteEntry.TRANSACTION -> transactions.apply(index, entry, session);
            case WriteEntry.BLOCK -> {
                applyCommand(index, entry, BlockingApply.command(entry), db, session);
                blocking.afterBlock(index, session);
            }
            case WriteEntry.UNBLOCK -> blocking.applyUnblock(entry);
            default -> log.error("unknown entry kind {} at index {}", entry.kind(), index);
        }
        // Lists and sorted sets this entry stored at keys clients wait on: serve them now.
        blocking.serveReady(index, entry.timestamp());
    }

    private void applyCommand(long index, WriteEntry entry, byte[][] argv, Database db, ClientSession session) {
        CommandSpec spec = server.table().resolve(argv);
        if (spec == null) {
            log.error("entry {} names no known command; skipped", index);
            return;
        }
        boolean dropReply = session != null && session.writeAnswered();
        RespWriter out = session != null && !session.closing() ? session.writer() : discardWriter;
        int mark = session != null && !session.closing() ? session.outputMark() : 0;
        ctx.reset(spec, db, entry.timestamp(), index, out, session);
        if (entry.kind() == WriteEntry.BLOCK) {
            BlockingApply.allowBlocking(ctx, entry);
        }
        invoker.invoke(spec, ctx, argv);
        if (dropReply && out != discardWriter) {
            session.discardOutputSince(mark); // CLIENT REPLY OFF/SKIP when the write was sent
        }
        discard.clear();
    }
}
