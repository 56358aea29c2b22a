package io.redraft.server;

import io.redraft.command.CommandFlag;
import io.redraft.command.CommandSpec;
import io.redraft.command.CommandTable;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * CLIENT PAUSE / UNPAUSE. While a pause is in force, a client whose next command it covers (every
 * command for ALL, writes and commands that may replicate for WRITE) is postponed: its commands
 * stay queued, in order, until the pause ends; then each postponed client is drained again.
 * Owned by the keyspace thread; the end of a pause is a task scheduled on that thread, so a
 * pause can never outlive its timeout.
 */
public final class ClientPause {
    public enum Mode { WRITE, ALL }

    private final ServerContext server;
    private Mode mode;
    private long endMillis;
    private ScheduledFuture<?> timer;
    private final Set<ClientSession> postponed = new LinkedHashSet<>();

    ClientPause(ServerContext server) {
        this.server = server;
    }

    public boolean active() {
        return mode != null;
    }

    public Mode mode() {
        return mode;
    }

    public long endMillis() {
        return endMillis;
    }

    /**
     * Starts or extends a pause. As in Redis, a later pause never shortens an earlier one or
     * weakens ALL to WRITE.
     */
    public void pause(Mode newMode, long untilMillis) {
        if (mode == null || untilMillis > endMillis) {
            endMillis = untilMillis;
        }
        if (mode != Mode.ALL) {
            mode = newMode;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        long delay = Math.max(0, endMillis - System.currentTimeMillis());
        timer = server.executor().thread().schedule(this::unpause, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Ends the pause. Postponed clients are drained in a task of their own, never inside the
     * command that unpaused them (the keyspace thread's command context is shared).
     */
    public void unpause() {
        mode = null;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (postponed.isEmpty()) {
            return;
        }
        ClientSession[] waiting = postponed.toArray(new ClientSession[0]);
        postponed.clear();
        server.executor().thread().execute(() -> {
            for (ClientSession s : waiting) {
                if (!s.closing()) {
                    server.executor().drain(s);
                }
            }
        });
    }

    /**
     * True when session's next queued item must wait for the pause to end; the session is then
     * remembered and drained again when it does.
     */
    public boolean postpones(ClientSession session, Object next, CommandTable table) {
        if (mode == null || !(next instanceof byte[][] argv) || argv.length == 0) {
            return false;
        }
        if (argv.length == 2 && io.redraft.command.Args.is(argv[0], "client")
                && io.redraft.command.Args.is(argv[1], "unpause")) {
            return false; // a pause can always be lifted (Redraft's choice: ALL would otherwise block it too)
        }
        if (mode == Mode.WRITE) {
            CommandSpec spec = table.resolve(argv);
            if (spec == null || (!mayReplicate(spec) && !execOfWrites(session, spec, table))) {
                return false;
            }
        }
        postponed.add(session);
        return true;
    }

    private static boolean mayReplicate(CommandSpec spec) {
        return spec.isWrite() || spec.has(CommandFlag.MAY_REPLICATE);
    }

    /** EXEC is a write when one of its queued commands is (Redis 7.0 looks at the transaction's flags). */
    private static boolean execOfWrites(ClientSession session, CommandSpec spec, CommandTable table) {
        if (!session.inMulti() || !spec.fullName().equals("exec")) {
            return false;
        }
        for (byte[][] queued : session.transaction().queued()) {
            CommandSpec q = table.resolve(queued);
            if (q != null && mayReplicate(q)) {
                return true;
            }
        }
        return false;
    }

    /** Number of clients waiting for the pause to end (INFO clients: blocked/paused). */
    public int postponedCount() {
        return postponed.size();
    }
}
