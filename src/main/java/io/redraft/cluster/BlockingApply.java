package io.redraft.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redraft.command.Args;
import io.redraft.command.BlockingCommands;
import io.redraft.command.CommandContext;
import io.redraft.command.CommandError;
import io.redraft.command.CommandSpec;
import io.redraft.resp.RedisNumbers;
import io.redraft.resp.RespWriter;
import io.redraft.server.ClientSession;
import io.redraft.server.ServerContext;
import io.redraft.store.BlockedWaiters;
import io.redraft.store.Database;
import io.redraft.store.KeyEntry;
import io.redraft.store.Keyspace;
import io.redraft.store.WrongTypeException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The replicated half of blocking commands, run by the state machine on every node alike:
 * serving waiters whose keys became ready at the end of each entry, and applying UNBLOCK
 * entries. Every decision depends only on the log (entry timestamps, the waiter table); the
 * only node-local thing is where a reply goes, asked of {@link BlockedClients}.
 */
final class BlockingApply {
    static final byte[] TIMEOUT = "TIMEOUT".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ERROR = "ERROR".getBytes(StandardCharsets.US_ASCII);
    /** Redis 7.0's reply to clients blocked on a master that becomes a replica, naming our cause. */
    static final String LEADER_CHANGED =
            "UNBLOCKED force unblock from blocking operation, instance state changed (Raft leader changed)";

    private final ServerContext server;
    private final Keyspace keyspace;
    private final CommandContext ctx;
    private final BlockedClients clients;
    /** Where the replies of waiters owned by other nodes go; cleared after each. */
    private final ByteBuf discard = Unpooled.buffer(256);
    private final RespWriter discardWriter = new RespWriter(discard);

    BlockingApply(ServerContext server, CommandContext ctx, BlockedClients clients) {
        this.server = server;
        this.keyspace = server.keyspace();
        this.ctx = ctx;
        this.clients = clients;
    }

    /** The BLOCK entry for a blocking command sent by session, owned by this node incarnation. */
    static WriteEntry blockEntry(String runId, ClientSession session, long now, byte[][] argv) {
        byte[][] all = new byte[argv.length + 2][];
        all[0] = runId.getBytes(StandardCharsets.US_ASCII);
        all[1] = Long.toString(session.id()).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(argv, 0, all, 2, argv.length);
        return new WriteEntry(WriteEntry.BLOCK, session.db(), now, all);
    }

    /** The UNBLOCK entry ending the given waiters with a timeout (null) or an UNBLOCKED error. */
    static WriteEntry unblockEntry(int db, long now, boolean error, List<Long> ids) {
        byte[][] argv = new byte[ids.size() + 1][];
        argv[0] = error ? ERROR : TIMEOUT;
        for (int i = 0; i < ids.size(); i++) {
            argv[i + 1] = Long.toString(ids.get(i)).getBytes(StandardCharsets.US_ASCII);
        }
        return new WriteEntry(WriteEntry.UNBLOCK, db, now, argv);
    }

    /** The command of a BLOCK entry, without the owner prefix. */
    static byte[][] command(WriteEntry block) {
        return Arrays.copyOfRange(block.argv(), 2, block.argv().length);
    }

    /** Lets the command of a BLOCK entry (prepared in ctx) wait on behalf of the entry's owner. */
    static void allowBlocking(CommandContext ctx, WriteEntry block) {
        byte[][] a = block.argv();
        ctx.allowBlocking(new String(a[0], StandardCharsets.US_ASCII), RedisNumbers.parseLong(a[1]));
    }

    /**
     * After the command of the BLOCK entry at index ran: if it registered a waiter, the session
     * that sent it here stays suspended until the waiter ends; else it had its reply and goes on
     * (whoever applied the entry drains it next).
     */
    void afterBlock(long index, ClientSession session) {
        if (session == null) {
            return;
        }
        BlockedWaiters.Waiter w = keyspace.waiters().get(index);
        if (w == null) {
            session.resume();
        } else {
            session.suspend();
            clients.blocked(w, session);
        }
    }

    /** UNBLOCK [TIMEOUT|ERROR] id...: ends each waiter still blocked; one served meanwhile is left alone. */
    void applyUnblock(WriteEntry entry) {
        byte[][] argv = entry.argv();
        boolean error = Args.is(argv[0], "error");
        for (int i = 1; i < argv.length; i++) {
            Long id = RedisNumbers.parseLong(argv[i]);
            BlockedWaiters.Waiter w = id == null ? null : keyspace.waiters().remove(id);
            if (w != null) {
                end(w, error ? out -> out.error(BlockingCommands.UNBLOCKED_ERROR) : BlockingCommands::replyTimeout);
            }
        }
    }

    /** Ends w, already out of the waiter table: its client, if connected here, gets reply. */
    private void end(BlockedWaiters.Waiter w, Consumer<RespWriter> reply) {
        ClientSession s = clients.sessionOf(w.id());
        if (s != null) {
            reply.accept(s.writer());
        }
        clients.released(w.id());
    }

    /**
     * A new leader's first entry (its no-op) was applied: every blocking command still waiting ends
     * with {@link #LEADER_CHANGED}, on every node at this same log position, so the waiter table
     * stays identical everywhere (and on replay). Why all of them: the Redis user's expectation is
     * that of a failover (a demoted Redis master ends its blocked clients with UNBLOCKED), a client
     * blocked on the old leader must not hang, and waiters of a crashed leader's clients, which
     * nobody could ever answer or end otherwise, must not take the next pushed element. A BLOCK
     * entry of an earlier term that commits just before the no-op is ended here too, so no client
     * keeps waiting on a command accepted by a leader that is gone; nothing is lost: a waiter served
     * before this entry got its element, one ended here took nothing.
     */
    void endAllForNewLeader() {
        BlockedWaiters waiters = keyspace.waiters();
        if (waiters.isEmpty()) {
            return;
        }
        for (BlockedWaiters.Waiter w : List.copyOf(waiters.all())) {
            waiters.remove(w.id());
            end(w, out -> out.error(LEADER_CHANGED));
        }
    }

    /**
     * Serves the waiters of the keys that became ready during this entry, as Redis's
     * handleClientsBlockedOnKeys: keys in the order they became ready, each key's waiters first
     * come first served while it holds data, and keys made ready by a served waiter (BLMOVE's
     * destination) in a further round. A waiter whose deadline has passed at this entry's time
     * is not served: its UNBLOCK entry is on its way.
     */
    void serveReady(long index, long now) {
        BlockedWaiters waiters = keyspace.waiters();
        while (waiters.hasReady()) {
            for (BlockedWaiters.DbKey key : waiters.takeReady()) {
                Database db = keyspace.db(key.db());
                for (BlockedWaiters.Waiter w : waiters.waitersOn(key)) {
                    if (waiters.get(w.id()) == null) {
                        continue; // served from another of its keys in this loop
                    }
                    KeyEntry e = db.lookupWrite(key.key(), now);
                    if (e == null) {
                        break; // emptied by the waiters before
                    }
                    if (!BlockingCommands.accepts(w.argv(), e.value())) {
                        waiters.rotateToTail(key, w); // BZPOPMIN waiting on a key that got a list
                        continue;
                    }
                    if (w.expiredAt(now)) {
                        continue;
                    }
                    serve(w, key.key(), db, index, now);
                }
            }
        }
    }

    private void serve(BlockedWaiters.Waiter w, byte[] key, Database db, long index, long now) {
        keyspace.waiters().remove(w.id());
        ClientSession s = clients.sessionOf(w.id());
        RespWriter out = s != null ? s.writer() : discardWriter;
        CommandSpec spec = server.table().lookup(w.argv()[0]);
        ctx.reset(spec, db, now, index, out, s);
        try {
            BlockingCommands.serve(ctx, w.argv(), key);
        } catch (CommandError e) {
            out.error(e.getMessage());
        } catch (WrongTypeException e) {
            out.error(WrongTypeException.MESSAGE); // BLMOVE to a destination of another type
        }
        discard.clear();
        clients.released(w.id());
    }
}
