package io.redraft.cluster;

import io.redraft.command.CommandContext;
import io.redraft.command.CommandError;
import io.redraft.command.CommandSpec;
import io.redraft.resp.RespWriter;
import io.redraft.server.ServerStats;
import io.redraft.store.WrongTypeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one handler with the bookkeeping every call needs: error replies from thrown
 * {@link CommandError}s, and the call statistics of INFO commandstats/errorstats.
 */
public final class CommandInvoker {
    private static final Logger log = LoggerFactory.getLogger(CommandInvoker.class);

    private final ServerStats stats;

    public CommandInvoker(ServerStats stats) {
        this.stats = stats;
    }

    /** Runs spec's handler on the prepared context. */
    public void invoke(CommandSpec spec, CommandContext ctx, byte[][] argv) {
        RespWriter out = ctx.out();
        int errorsBefore = out.errors();
        long start = System.nanoTime();
        try {
            spec.handler().execute(ctx, argv);
        } catch (CommandError e) {
            out.error(e.getMessage());
        } catch (WrongTypeException e) {
            out.error(WrongTypeException.MESSAGE);
        } catch (RuntimeException e) {
            // A bug, not bad input: report it to this client and keep serving the others.
            log.error("command {} failed", spec.fullName(), e);
            out.error("ERR internal error in '" + spec.fullName() + "': " + e);
        }
        long micros = (System.nanoTime() - start) / 1000;
        spec.microseconds += micros;
        spec.calls++;
        if (ctx.server().slowLog().isSlow(micros) && !spec.has(io.redraft.command.CommandFlag.SKIP_SLOWLOG)) {
            ctx.server().slowLog().record(argv, micros, ctx.session());
        }
        if (micros >= 1000) {
            ctx.server().latency().addSampleIfNeeded(
                    spec.has(io.redraft.command.CommandFlag.FAST) ? "fast-command" : "command", micros / 1000);
        }
        stats.commandsProcessed++;
        if (out.errors() != errorsBefore) {
            spec.failedCalls++;
            stats.countError(out.lastError());
        }
    }

    /** Writes an error for a command refused before it ran (unknown, arity, auth). */
    public void reject(CommandSpec spec, RespWriter out, String message) {
        if (spec != null) {
            spec.rejectedCalls++;
        }
        out.error(message);
        stats.countError(message);
    }
}
