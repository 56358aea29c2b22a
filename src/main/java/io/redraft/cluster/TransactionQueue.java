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
 * the executor checked name, arity and auth) instead of run, and EXEC goes to the write path
 * as one {@link WriteEntry#TRANSACTION} entry. Like Redis, a command refused while queueing makes EXEC
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
     * Whether the checked command goes to the log: a write outside MULTI, or EXEC of a
     * transaction that queued without error (even one holding only reads: the log orders it).
     * Inside MULTI every other command is only queued.
     */
    boolean logged(ClientSession session, CommandSpec spec) {
        if (!session.inMulti()) {
            return spec.isWrite();
        }
        return isExec(spec) && !session.transaction().failed();
    }

    /** The entry for a logged command; for EXEC, the whole transaction, which leaves MULTI. */
    WriteEntry entry(ClientSession session, CommandSpec spec, byte[][] argv, long now) {
        if (!session.inMulti()) {
            return WriteEntry.command(session.db(), now, argv);
        }
        TransactionState tx = session.transaction();
        TransactionEntry entry = new TransactionEntry(new ArrayList<>(tx.queued()), new ArrayList<>(tx.watched()));
        tx.clear();
        return entry.toEntry(session.db(), now);
    }

    /**
     * The error to send for a command refused before it ran (unknown, arity, auth, or the write
     * path's refusal). Inside MULTI the refusal dooms the transaction; a refused EXEC discards it
     * at once and says why, as Redis's execCommandAbort (which drops the "ERR " of its own texts).
     */
    String rejected(ClientSession session, CommandSpec spec, String error) {
        if (!session.inMulti()) {
            return error;
        }
        TransactionState tx = session.transaction();
        if (spec != null && isExec(spec)) {
            tx.clear();
            return "EXECABORT Transaction discarded because of: " + (error.startsWith("ERR ") ? error.substring(4) : error);
        }
        tx.fail();
        return error;
    }

    /**
     * Called by dispatch for a checked command that is not logged. Returns true if it was
     * handled here (queued, or refused inside MULTI); false if it runs as usual.
     */
    boolean intercept(ClientSession session, CommandSpec spec, byte[][] argv) {
        if (!session.inMulti() || NOT_QUEUED.contains(spec.fullName())) {
            return false; // EXEC without MULTI answers from its handler
        }
        TransactionState tx = session.transaction();
        if (isExec(spec)) {
            tx.clear(); // only a doomed transaction's EXEC is not logged
            invoker.reject(spec, session.writer(), EXECABORT);
        } else if (spec.has(CommandFlag.NO_MULTI)) {
            invoker.reject(spec, session.writer(), NOT_ALLOWED);
            tx.fail();
        } else {
            tx.queue(argv);
            session.writer().simple("QUEUED");
        }
        return true;
    }

    private static boolean isExec(CommandSpec spec) {
        return spec.fullName().equals("exec");
    }
}
