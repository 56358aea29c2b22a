package io.redraft.command;

import io.redraft.store.Database;
import io.redraft.store.HllSelfTest;
import io.redraft.store.HyperLogLog;
import io.redraft.store.KeyEntry;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/**
 * HyperLogLog commands. An HLL is a string value in Redis's own representation (see
 * {@link HyperLogLog}); these handlers copy it, edit the copy and store it, since stored
 * strings are immutable (see {@link StringCommands}).
 *
 * <p>PFCOUNT on one key caches the cardinality inside the string. Redis flags PFCOUNT readonly
 * yet writes that cache and replicates the change; here such a call is routed through the write
 * path ({@link CommandSpec.WriteCondition}) so every node stores the same bytes, while counts
 * that need no cache update (a valid cache, a missing key, several keys) stay plain reads.
 */
final class HyperLogLogCommands implements CommandFamily {
    static final CommandError NOT_HLL = new CommandError("WRONGTYPE Key is not a valid HyperLogLog string value.");
    static final CommandError CORRUPTED = new CommandError("INVALIDOBJ Corrupted HLL object detected");
    private static final CommandError NO_SUCH_KEY = new CommandError("ERR The specified key does not exist");
    private static final CommandError NOT_SPARSE = new CommandError("ERR HLL encoding is not sparse");

    @Override
    public void register(CommandTable t) {
        t.add(hll("pfadd", -2, WRITE, DENYOOM, FAST).keys(1, 1, 1)
                .complexity("O(1) to add every element.")
                .summary("Adds elements to a HyperLogLog key. Creates the key if it doesn't exist.")
                .handler(HyperLogLogCommands::pfadd));
        t.add(hll("pfcount", -2, READONLY).keys(1, -1, 1)
                .complexity("O(1) with a very small average constant time when called with a single key. "
                        + "O(N) with N being the number of keys, and much bigger constant times, "
                        + "when called with multiple keys.")
                .summary("Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s).")
                .writesWhen(HyperLogLogCommands::countUpdatesCache)
                .handler(HyperLogLogCommands::pfcount));
        t.add(hll("pfmerge", -2, WRITE, DENYOOM).keys(1, -1, 1)
                .complexity("O(N) to merge N HyperLogLogs, but with high constant times.")
                .summary("Merges one or more HyperLogLog values into a single key.")
                .handler(HyperLogLogCommands::pfmerge));
        t.add(command("pfdebug", 3).flags(WRITE, DENYOOM, ADMIN).keys(2, 2, 1).group("hyperloglog")
                .since("2.8.9").complexity("N/A")
                .acl("@write", "@hyperloglog", "@admin", "@slow", "@dangerous")
                .summary("Internal commands for debugging HyperLogLog values.")
                .handler(HyperLogLogCommands::pfdebug));
        t.add(command("pfselftest", 1).flags(ADMIN).group("hyperloglog").since("2.8.9").complexity("N/A")
                .acl("@hyperloglog", "@admin", "@slow", "@dangerous")
                .summary("An internal command for testing HyperLogLog values.")
                .handler(HyperLogLogCommands::pfselftest));
    }

    private static CommandSpec.Builder hll(String name, int arity, CommandFlag... flags) {
        return StringCommands.typed(name, arity, "hyperloglog", flags).since("2.8.9");
    }

    /** hll-sparse-max-bytes, read when the write is applied (Redis reads it per edit). */
    private static long sparseMaxBytes(CommandContext ctx) {
        return ctx.server().config().getLong("hll-sparse-max-bytes");
    }

    /** The string at key as a valid HLL for reading, or null if missing; WRONGTYPE otherwise. */
    private static byte[] readHll(CommandContext ctx, byte[] key) {
        byte[] s = ctx.db().getString(key, ctx.now());
        if (s != null && !HyperLogLog.isValid(s)) {
            throw NOT_HLL;
        }
        return s;
    }

    /** As {@link #readHll} inside a write: an expired key is deleted first. */
    private static byte[] writeHll(CommandContext ctx, byte[] key) {
        byte[] s = StringCommands.stringForWrite(ctx, key);
        if (s != null && !HyperLogLog.isValid(s)) {
            throw NOT_HLL;
        }
        return s;
    }

    /** PFADD key [element ...]: 1 if the key was created or a register changed, else 0. */
    private static void pfadd(CommandContext ctx, byte[][] argv) {
        byte[] key = argv[1];
        byte[] current = writeHll(ctx, key);
        HyperLogLog hll = current == null ? HyperLogLog.create() : HyperLogLog.edit(current);
        int updated = current == null ? 1 : 0;
        long maxBytes = sparseMaxBytes(ctx);
        for (int i = 2; i < argv.length; i++) {
            int r = hll.add(argv[i], maxBytes);
            if (r < 0) {
                // Redis edits in place: what changed before the corruption was found stays.
                if (updated > 0) {
                    ctx.db().put(key, hll.toBytes(), true);
                }
                throw CORRUPTED;
            }
            updated += r;
        }
        if (updated > 0) {
            hll.invalidateCache();
            ctx.db().put(key, hll.toBytes(), true);
        }
        ctx.out().integer(updated > 0 ? 1 : 0);
    }

    /** PFCOUNT routes as a write exactly when it will refresh one key's stale cached cardinality. */
    private static boolean countUpdatesCache(Database db, byte[][] argv, long now) {
        if (argv.length != 2) {
            return false;
        }
        KeyEntry e = db.peek(argv[1], now);
        return e != null && e.value() instanceof byte[] s && HyperLogLog.isValid(s)
                && !HyperLogLog.hasCachedCardinality(s);
    }

    /** PFCOUNT key [key ...]: one key's (cached) cardinality, or the cardinality of the union. */
    private static void pfcount(CommandContext ctx, byte[][] argv) {
        if (argv.length > 2) {
            byte[] max = new byte[HyperLogLog.REGISTERS];
            for (int i = 1; i < argv.length; i++) {
                byte[] s = readHll(ctx, argv[i]);
                if (s != null && !HyperLogLog.mergeInto(s, max)) {
                    throw CORRUPTED;
                }
            }
            ctx.out().integer(HyperLogLog.countRegisters(max));
            return;
        }
        byte[] key = argv[1];
        byte[] s = readHll(ctx, key);
        if (s == null) {
            ctx.out().integer(0);
            return;
        }
        if (HyperLogLog.hasCachedCardinality(s)) {
            ctx.out().integer(HyperLogLog.cachedCardinality(s));
            return;
        }
        long card = HyperLogLog.count(s).orElseThrow(() -> CORRUPTED);
        // Only a call applied from the log stores the cache (dispatch routes stale ones there);
        // a read never mutates the keyspace.
        if (ctx.index() > 0) {
            ctx.db().put(key, HyperLogLog.withCachedCardinality(s, card), true);
        }
        ctx.out().integer(card);
    }

    /**
     * PFMERGE destkey [sourcekey ...]: destkey (itself one of the sources) gets the register-wise
     * maximum. It turns dense first if any source is dense, as in Redis.
     */
    private static void pfmerge(CommandContext ctx, byte[][] argv) {
        byte[] max = new byte[HyperLogLog.REGISTERS];
        boolean dense = false;
        for (int i = 1; i < argv.length; i++) {
            byte[] s = readHll(ctx, argv[i]);
            if (s == null) {
                continue;
            }
            dense |= HyperLogLog.isDense(s);
            if (!HyperLogLog.mergeInto(s, max)) {
                throw CORRUPTED;
            }
        }
        byte[] dest = argv[1];
        byte[] current = writeHll(ctx, dest);
        HyperLogLog hll = current == null ? HyperLogLog.create() : HyperLogLog.edit(current);
        if (dense && !hll.toDense()) {
            throw CORRUPTED;
        }
        long maxBytes = sparseMaxBytes(ctx);
        for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
            if (max[j] != 0) {
                hll.set(j, max[j], maxBytes);
            }
        }
        hll.invalidateCache();
        ctx.db().put(dest, hll.toBytes(), true);
        ctx.out().ok();
    }

    /** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key. */
    private static void pfdebug(CommandContext ctx, byte[][] argv) {
        byte[] key = argv[2];
        byte[] s = writeHll(ctx, key);
        if (s == null) {
            throw NO_SUCH_KEY;
        }
        byte[] sub = argv[1];
        if (Args.is(sub, "getreg")) {
            s = denseStored(ctx, key, s);
            int[] regs = HyperLogLog.denseRegisters(s);
            ctx.out().arrayHeader(regs.length);
            for (int r : regs) {
                ctx.out().integer(r);
            }
        } else if (Args.is(sub, "decode")) {
            if (HyperLogLog.isDense(s)) {
                throw NOT_SPARSE;
            }
            ctx.out().bulk(Args.bytes(HyperLogLog.decodeSparse(s)));
        } else if (Args.is(sub, "encoding")) {
            ctx.out().simple(HyperLogLog.isDense(s) ? "dense" : "sparse");
        } else if (Args.is(sub, "todense")) {
            boolean sparse = !HyperLogLog.isDense(s);
            denseStored(ctx, key, s);
            ctx.out().integer(sparse ? 1 : 0);
        } else {
            throw new CommandError("ERR Unknown PFDEBUG subcommand '" + Args.str(sub) + "'");
        }
    }

    /** PFSELFTEST: OK, or the first TESTFAILED error of {@link HllSelfTest}. */
    private static void pfselftest(CommandContext ctx, byte[][] argv) {
        String failure = HllSelfTest.run(ctx.random(), sparseMaxBytes(ctx));
        if (failure != null) {
            throw new CommandError(failure);
        }
        ctx.out().ok();
    }

    /** The HLL at key in dense form, converting and storing it first if it is sparse. */
    private static byte[] denseStored(CommandContext ctx, byte[] key, byte[] s) {
        if (HyperLogLog.isDense(s)) {
            return s;
        }
        HyperLogLog hll = HyperLogLog.edit(s);
        if (!hll.toDense()) {
            throw CORRUPTED;
        }
        byte[] dense = hll.toBytes();
        ctx.db().put(key, dense, true);
        return dense;
    }
}
