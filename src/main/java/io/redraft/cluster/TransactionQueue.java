package io.redraft.cluster;

import io.redraft.command.CommandFlag;
import io.redraft.command.CommandSpec;
import io.redraft.server.ClientSession;
import io.redraft.server.ServerContext;
import io.redraft.server.TransactionState;

import java.util.ArrayList;
import java.util.Set;

/**
 * The executor's side of MULTI: while a client is inside MULTI its commands are queued (after
 * dispatch checked name, arity and auth) instead of run, and EXEC turns the queue into one
 * {@link WriteEntry#TRANSACTION} entry. Like Redis, a command refused while queueing makes EXEC
 * answer EXECABORT.
 */
final class TransactionQueue {
    static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";
    static final String NOT_ALLOWED = "ERR Command not allowed inside a transaction";
    /** Run at once even inside MULTI, as in Redis's processCommand (their handlers know MULTI). */
    private static final Set<String> NOT_QUEUED = Set.of("discard", "multi", "watch", "quit", "reset");

    private final CommandInvoker invoker;

    TransactionQueue(ServerContext server, CommandInvoker invoker) {
        this.invoker = invoker;
        server.onSessionReset(s -> s.transaction().clear());
    }

    /**
     * Called by dispatch for a checked command. Returns true if the command was handled here
     * (queued, refused, or EXEC submitted); false if it runs as usual.
     */
    boolean intercept(ClientSession session, CommandSpec spec, byte[][] argv, long now, WritePath writePath) {
        if (!session.inMulti() || NOT_QUEUED.contains(spec.fullName())) {
            return false; // EXEC without MULTI answers from its handler
        }
        TransactionState tx = session.transaction();
        if (spec.fullName().equals("exec")) {
            exec(session, spec, tx, now, writePath);
        } else if (spec.has(CommandFlag.NO_MULTI)) {
            invoker.reject(spec, session.writer(), NOT_ALLOWED);
            tx.fail();
        } else {
            tx.queue(argv);
            session.writer().simple("QUEUED");
        }
        return true;
    }

    /** A command was refused before it could be queued (unknown, arity, auth). */
    void rejected(ClientSession session) {
        if (session.inMulti()) {
            session.transaction().fail();
        }
    }

    private void exec(ClientSession session, CommandSpec spec, TransactionState tx, long now, WritePath writePath) {
        if (tx.failed()) {
            tx.clear();
            invoker.reject(spec, session.writer(), EXECABORT);
            return;
        }
        TransactionEntry entry = new TransactionEntry(new ArrayList<>(tx.queued()), new ArrayList<>(tx.watched()));
        tx.clear();
        // Through the log even when every queued command only reads: ordered, linearizable, atomic.
        writePath.submit(entry.toEntry(session.db(), now), session);
    }
}
