package io.redraft.cluster;

import io.redraft.server.ClientSession;
import io.redraft.server.ServerContext;
import io.redraft.store.BlockedWaiters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The node-local half of blocking commands: which session on this node waits in which waiter,
 * its timeout timer, and the UNBLOCK entries this node proposes (timeout, CLIENT UNBLOCK,
 * disconnect, orphans). None of it is replicated: a waiter's fate changes only when an entry is
 * applied ({@link BlockingApply}); this class only decides what to propose and where replies go.
 *
 * <p>A waiter belongs to this node only if the BLOCK entry was applied here with the session
 * that sent it, in this process: after a restart the map is empty, so waiters of the previous
 * incarnation (or of other nodes) are never answered here. All methods run on the keyspace thread.
 */
public final class BlockedClients {
    /** How long a proposed timeout may take to apply before it is proposed again. */
    private static final long RETRY_MILLIS = 1000;

    private final ServerContext server;
    private final Map<Long, ClientSession> sessions = new HashMap<>();
    private final Map<Long, ScheduledFuture<?>> timers = new HashMap<>();

    BlockedClients(ServerContext server) {
        this.server = server;
        server.onSessionClosed(this::sessionClosed);
    }

    /** Number of clients of this node blocked in a command (INFO blocked_clients). */
    public int count() {
        return sessions.size();
    }

    /** Number of those with a timeout armed (INFO clients_in_timeout_table). */
    public int withTimeout() {
        return timers.size();
    }

    /** The BLOCK entry of session registered waiter w: keep the session suspended, arm its timer. */
    void blocked(BlockedWaiters.Waiter w, ClientSession session) {
        sessions.put(w.id(), session);
        session.blockedOn(w.id());
        if (session.channel() != null && !session.channel().isActive()) {
            // The client left while its command was in the log, and its close found nothing to
            // end. End it now, after this apply (proposing inside an apply would nest entries).
            executor().thread().execute(() -> sessionClosed(session));
            return;
        }
        if (w.deadline() != 0) {
            long delay = Math.max(0, w.deadline() - System.currentTimeMillis());
            long id = w.id();
            timers.put(id, executor().thread().schedule(() -> timedOut(id), delay, TimeUnit.MILLISECONDS));
        }
    }

    /** The live session of this node waiting in waiter id, or null (other node, gone, restarted). */
    ClientSession sessionOf(long id) {
        ClientSession s = sessions.get(id);
        return s == null || s.closing() ? null : s;
    }

    /** Waiter id ended (served, timed out, unblocked): its session, if here, runs its next commands. */
    void released(long id) {
        ScheduledFuture<?> t = timers.remove(id);
        if (t != null) {
            t.cancel(false);
        }
        ClientSession s = sessions.remove(id);
        if (s != null) {
            s.blockedOn(0);
            resumeLater(s);
        }
    }

    /**
     * Resumes a session after its blocking command answered. Later, not now: this runs inside the
     * apply of an entry, and draining the session here would run its next commands (and maybe
     * apply their entries) in the middle of this one.
     */
    void resumeLater(ClientSession s) {
        CommandExecutor executor = executor();
        executor.thread().execute(() -> executor.resume(s));
    }

    /**
     * The deadline passed: propose the end of the waiter. The proposal can be lost (no leader
     * at the moment), so until the waiter ends the timer fires again; an UNBLOCK entry for a
     * waiter already ended does nothing.
     */
    private void timedOut(long id) {
        timers.remove(id);
        ClientSession s = sessions.get(id);
        if (s != null) {
            propose(s.db(), false, List.of(id));
            if (sessions.containsKey(id)) { // not applied at once (the Raft log applies later)
                timers.put(id, executor().thread().schedule(() -> timedOut(id), RETRY_MILLIS, TimeUnit.MILLISECONDS));
            }
        }
    }

    /**
     * CLIENT UNBLOCK: proposes the end of target's waiter, with an UNBLOCKED error or as a
     * timeout. False when target is not blocked here. If the waiter is served before the entry
     * applies, the entry does nothing.
     */
    public boolean unblock(ClientSession target, boolean error) {
        long id = target.blockedOn();
        if (id == 0 || !sessions.containsKey(id)) {
            return false;
        }
        propose(target.db(), error, List.of(id));
        return true;
    }

    /** A blocked client disconnected: its waiter must not take data meant for the next client. */
    private void sessionClosed(ClientSession s) {
        long id = s.blockedOn();
        if (id == 0 || sessions.get(id) != s) {
            return;
        }
        sessions.remove(id);
        ScheduledFuture<?> t = timers.remove(id);
        if (t != null) {
            t.cancel(false);
        }
        propose(s.db(), false, List.of(id));
    }

    /**
     * Proposes one entry ending every waiter that no live session of this node owns: waiters of
     * clients of a previous incarnation of this node, or of nodes that lost their clients. Called
     * when this node becomes leader (and at start on a single node).
     */
    public void proposeOrphanRemoval() {
        List<Long> orphans = new ArrayList<>();
        for (BlockedWaiters.Waiter w : server.keyspace().waiters().all()) {
            if (sessionOf(w.id()) == null) {
                orphans.add(w.id());
            }
        }
        if (!orphans.isEmpty()) {
            propose(0, false, orphans);
        }
    }

    private void propose(int db, boolean error, List<Long> ids) {
        executor().propose(BlockingApply.unblockEntry(db, System.currentTimeMillis(), error, ids));
    }

    private CommandExecutor executor() {
        return server.executor();
    }
}
