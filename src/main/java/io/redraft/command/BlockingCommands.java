package io.redraft.command;

import io.redraft.resp.RespWriter;
import io.redraft.store.BlockedWaiters;
import io.redraft.store.ListValue;
import io.redraft.store.RedisValue;
import io.redraft.store.SortedSetValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/**
 * BLPOP, BRPOP, BRPOPLPUSH, BLMOVE, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP (Redis 7.0).
 *
 * <p>Each is a write applied from the log. With data it pops like its non-blocking form (the
 * pop code is ListCommands' and SortedSetCommands'). Without, and when the entry allows it
 * ({@link CommandContext#mayBlock()}), it registers a waiter in the replicated
 * {@link BlockedWaiters} with no reply; the apply loop serves it later through
 * {@link #serve} when a key it waits on receives a value, or an UNBLOCK entry ends it with
 * {@link #replyTimeout}. Where blocking is not allowed (MULTI) it answers as a timed-out call.
 */
public final class BlockingCommands implements CommandFamily {
    /** How one command pops from one key, once parsing is done. */
    private interface Pop {
        /** Pops from key for argv, writing the reply; false (no reply) when key is missing. */
        boolean from(CommandContext ctx, byte[][] argv, byte[] key);
    }

    /**
     * One blocking command: the type it waits for, how it pops from a key, and whether its
     * answer when it may not block is a null bulk (BLMOVE, BRPOPLPUSH) or a null array.
     */
    private record Kind(Class<? extends RedisValue> type, Pop pop, boolean nullBulk) {
    }

    private static final Map<String, Kind> KINDS = Map.of(
            "blpop", new Kind(ListValue.class, (ctx, argv, key) -> ListCommands.popWithKey(ctx, key, true), false),
            "brpop", new Kind(ListValue.class, (ctx, argv, key) -> ListCommands.popWithKey(ctx, key, false), false),
            "brpoplpush", new Kind(ListValue.class,
                    (ctx, argv, key) -> moveIfPresent(ctx, key, argv[2], false, true), true),
            "blmove", new Kind(ListValue.class, (ctx, argv, key) -> moveIfPresent(ctx, key, argv[2],
                    ListCommands.parseEnd(argv[3]), ListCommands.parseEnd(argv[4])), true),
            "blmpop", new Kind(ListValue.class, (ctx, argv, key) -> {
                ListCommands.MpopArgs a = ListCommands.MpopArgs.parse(argv, 2);
                return ListCommands.mpopFrom(ctx, key, a.atHead(), a.count());
            }, false),
            "bzpopmin", new Kind(SortedSetValue.class,
                    (ctx, argv, key) -> SortedSetCommands.popWithKey(ctx, key, false), false),
            "bzpopmax", new Kind(SortedSetValue.class,
                    (ctx, argv, key) -> SortedSetCommands.popWithKey(ctx, key, true), false),
            "bzmpop", new Kind(SortedSetValue.class, (ctx, argv, key) -> {
                SortedSetCommands.MpopArgs a = SortedSetCommands.MpopArgs.parse(argv, 2);
                return SortedSetCommands.mpopFrom(ctx, key, a.max(), a.count());
            }, false));

    @Override
    public void register(CommandTable t) {
        t.add(list("blpop", -3, "2.0.0", "Removes and returns the first element in a list. Blocks until an element "
                + "is available otherwise. Deletes the list if the last element was popped.",
                "O(N) where N is the number of provided keys.", NOSCRIPT).keys(1, -2, 1)
                .handler((ctx, argv) -> firstKeyForm(ctx, argv)));
        t.add(list("brpop", -3, "2.0.0", "Removes and returns the last element in a list. Blocks until an element "
                + "is available otherwise. Deletes the list if the last element was popped.",
                "O(N) where N is the number of provided keys.", NOSCRIPT).keys(1, -2, 1)
                .handler((ctx, argv) -> firstKeyForm(ctx, argv)));
        t.add(list("brpoplpush", 4, "2.2.0", "Pops an element from a list, pushes it to another list and returns "
                + "it. Block until an element is available otherwise. Deletes the list if the last element was popped.",
                "O(1)", DENYOOM, NOSCRIPT).keys(1, 2, 1)
                .handler((ctx, argv) -> run(ctx, argv, BlockingTimeout.parseMillis(argv[3]), 1, 1)));
        t.add(list("blmove", 6, "6.2.0", "Pops an element from a list, pushes it to another list and returns it. "
                + "Blocks until an element is available otherwise. Deletes the list if the last element was moved.",
                "O(1)", DENYOOM, NOSCRIPT).keys(1, 2, 1).handler((ctx, argv) -> {
                    ListCommands.parseEnd(argv[3]);
                    ListCommands.parseEnd(argv[4]);
                    run(ctx, argv, BlockingTimeout.parseMillis(argv[5]), 1, 1);
                }));
        t.add(list("blmpop", -5, "7.0.0", "Pops the first element from one of multiple lists. Blocks until an "
                + "element is available otherwise. Deletes the list if the last element was popped.",
                "O(N+M) where N is the number of provided keys and M is the number of elements returned.")
                .keys(0, 0, 0).keyFinder(NumKeys.finder(2, false)).handler((ctx, argv) -> {
                    long timeout = BlockingTimeout.parseMillis(argv[1]);
                    ListCommands.MpopArgs a = ListCommands.MpopArgs.parse(argv, 2);
                    run(ctx, argv, timeout, a.firstKey(), a.numkeys());
                }));
        t.add(zset("bzpopmin", "Removes and returns the member with the lowest score from one or more sorted sets. "
                + "Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped."));
        t.add(zset("bzpopmax", "Removes and returns the member with the highest score from one or more sorted sets. "
                + "Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped."));
        t.add(command("bzmpop", -5).flags(WRITE, BLOCKING).group("sorted-set").since("7.0.0")
                .summary("Removes and returns a member by score from one or more sorted sets. Blocks until a member "
                        + "is available otherwise. Deletes the sorted set if the last element was popped.")
                .complexity("O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of "
                        + "elements in the sorted set, and M being the number of elements popped.")
                .acl("@write", "@sortedset", "@slow", "@blocking")
                .keys(0, 0, 0).keyFinder(NumKeys.finder(2, false)).handler((ctx, argv) -> {
                    long timeout = BlockingTimeout.parseMillis(argv[1]);
                    SortedSetCommands.MpopArgs a = SortedSetCommands.MpopArgs.parse(argv, 2);
                    run(ctx, argv, timeout, a.firstKey(), a.numkeys());
                }));
    }

    private static CommandSpec.Builder list(String name, int arity, String since, String summary, String complexity,
                                            CommandFlag... flags) {
        return command(name, arity).flags(WRITE).flags(flags).flags(BLOCKING).group("list").since(since)
                .summary(summary).complexity(complexity).acl("@write", "@list", "@slow", "@blocking");
    }

    private static CommandSpec.Builder zset(String name, String summary) {
        return command(name, -3).flags(WRITE, NOSCRIPT, BLOCKING, FAST).group("sorted-set").since("5.0.0")
                .summary(summary).complexity("O(log(N)) with N being the number of elements in the sorted set.")
                .acl("@write", "@sortedset", "@fast", "@blocking").keys(1, -2, 1)
                .handler((ctx, argv) -> firstKeyForm(ctx, argv));
    }

    /** BLPOP, BRPOP, BZPOPMIN, BZPOPMAX: key [key ...] timeout. */
    private static void firstKeyForm(CommandContext ctx, byte[][] argv) {
        long timeout = BlockingTimeout.parseMillis(argv[argv.length - 1]);
        run(ctx, argv, timeout, 1, argv.length - 2);
    }

    /**
     * The shared body: the first of the keys argv[first .. first+count-1] that holds data is
     * popped (a key of another type on the way is WRONGTYPE, as in Redis); else the command
     * blocks, or answers as timed out where it may not block.
     */
    private static void run(CommandContext ctx, byte[][] argv, long timeoutMillis, int first, int count) {
        Kind kind = kind(argv);
        for (int i = first; i < first + count; i++) {
            if (kind.pop().from(ctx, argv, argv[i])) {
                return;
            }
        }
        if (!ctx.mayBlock()) {
            if (kind.nullBulk()) {
                ctx.out().nullBulk();
            } else {
                ctx.out().nullArray();
            }
            return;
        }
        byte[][] keys = distinct(Arrays.copyOfRange(argv, first, first + count));
        ctx.keyspace().waiters().add(new BlockedWaiters.Waiter(ctx.index(), ctx.db().id(), keys, argv,
                BlockingTimeout.deadline(timeoutMillis, ctx.now()), ctx.blockOwnerRun(), ctx.blockOwnerClient()));
    }

    /** A key named twice is waited on once (Redis keeps one entry per key too). */
    private static byte[][] distinct(byte[][] keys) {
        int n = 0;
        byte[][] out = new byte[keys.length][];
        outer:
        for (byte[] k : keys) {
            for (int i = 0; i < n; i++) {
                if (Arrays.equals(out[i], k)) {
                    continue outer;
                }
            }
            out[n++] = k;
        }
        return n == keys.length ? out : Arrays.copyOf(out, n);
    }

    private static Kind kind(byte[][] argv) {
        Kind k = KINDS.get(new String(argv[0], java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
        if (k == null) {
            throw new IllegalArgumentException("not a blocking command: " + Args.str(argv[0]));
        }
        return k;
    }

    // ---- serving waiters: called by the apply loop -----------------------------------------

    /**
     * Whether the waiter with this argv can take from value, the value now at a ready key:
     * BLPOP waits for a list and is not woken by a sorted set.
     */
    public static boolean accepts(byte[][] argv, Object value) {
        return kind(argv).type().isInstance(value);
    }

    /**
     * Serves a waiter from the ready key, which holds a value it accepts: pops and writes the
     * reply to ctx.out(), exactly as the command would have had the data been there when it
     * ran. May fail with WRONGTYPE (BLMOVE's destination), which is then the waiter's reply.
     */
    public static void serve(CommandContext ctx, byte[][] argv, byte[] key) {
        kind(argv).pop().from(ctx, argv, key);
    }

    /** The reply of a blocked command whose time ran out: a null array (RESP2 *-1), for all of them. */
    public static void replyTimeout(RespWriter out) {
        out.nullArray();
    }

    /** The reply of a client released by CLIENT UNBLOCK ... ERROR. */
    public static final String UNBLOCKED_ERROR = "UNBLOCKED client unblocked via CLIENT UNBLOCK";

    /** BLMOVE and BRPOPLPUSH pop through LMOVE's code, which would itself answer a missing source. */
    private static boolean moveIfPresent(CommandContext ctx, byte[] src, byte[] dst, boolean fromHead, boolean toHead) {
        return CollectionWrites.entry(ctx, src, ListValue.class) != null
                && ListCommands.move(ctx, src, dst, fromHead, toHead);
    }
}
