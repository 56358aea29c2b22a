package io.redraft.command;

import io.redraft.resp.RedisNumbers;
import io.redraft.resp.RespWriter;
import io.redraft.store.EncodingLimits;
import io.redraft.store.KeyEntry;
import io.redraft.store.ListValue;

import java.util.Arrays;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/**
 * List commands (Redis 7.0 t_list.c semantics). The blocking forms (BLPOP…) are in
 * {@link BlockingCommands} and pop through the helpers here. Clients blocked on a key are woken
 * when a new list is stored at it ({@code Database.put}): a push onto an existing list never
 * has to wake anyone, since nobody waits on a key that already holds a non-empty list.
 */
final class ListCommands implements CommandFamily {
    private static final CommandError NUMKEYS = new CommandError("ERR numkeys should be greater than 0");
    private static final CommandError RANK_ZERO = new CommandError("ERR RANK can't be zero: use 1 to start from the "
            + "first match, 2 from the second ... or use negative to start from the end of the list");
    private static final CommandError COUNT_NEGATIVE = new CommandError("ERR COUNT can't be negative");
    private static final CommandError MAXLEN_NEGATIVE = new CommandError("ERR MAXLEN can't be negative");
    private static final CommandError INDEX_RANGE = new CommandError("ERR index out of range");

    @Override
    public void register(CommandTable t) {
        t.add(spec("lindex", 3, "1.0.0", "Returns an element from a list by its index.", "O(N)", READONLY)
                .handler(ListCommands::lindex));
        t.add(spec("linsert", 5, "2.2.0", "Inserts an element before or after another element in a list.", "O(N)",
                WRITE, DENYOOM).handler(ListCommands::linsert));
        t.add(spec("llen", 2, "1.0.0", "Returns the length of a list.", "O(1)", READONLY, FAST)
                .handler(ListCommands::llen));
        t.add(spec("lmove", 5, "6.2.0", "Returns an element after popping it from one list and pushing it to another.",
                "O(1)", WRITE, DENYOOM).keys(1, 2, 1).handler(ListCommands::lmove));
        t.add(spec("lmpop", -4, "7.0.0", "Returns multiple elements from a list after removing them.", "O(N+M)", WRITE)
                .keys(0, 0, 0).keyFinder(ListCommands::lmpopKeys).handler(ListCommands::lmpop));
        t.add(spec("lpop", -2, "1.0.0", "Returns the first elements in a list after removing it.", "O(N)", WRITE, FAST)
                .handler((ctx, argv) -> pop(ctx, argv, true)));
        t.add(spec("lpos", -3, "6.0.6", "Returns the index of matching elements in a list.", "O(N)", READONLY)
                .handler(ListCommands::lpos));
        t.add(spec("lpush", -3, "1.0.0", "Prepends one or more elements to a list.", "O(1)", WRITE, DENYOOM, FAST)
                .handler((ctx, argv) -> push(ctx, argv, true, true)));
        t.add(spec("lpushx", -3, "2.2.0", "Prepends elements to a list only when the list exists.", "O(1)",
                WRITE, DENYOOM, FAST).handler((ctx, argv) -> push(ctx, argv, true, false)));
        t.add(spec("lrange", 4, "1.0.0", "Returns a range of elements from a list.", "O(S+N)", READONLY)
                .handler(ListCommands::lrange));
        t.add(spec("lrem", 4, "1.0.0", "Removes elements from a list.", "O(N+M)", WRITE)
                .handler(ListCommands::lrem));
        t.add(spec("lset", 4, "1.0.0", "Sets the value of an element in a list by its index.", "O(N)", WRITE, DENYOOM)
                .handler(ListCommands::lset));
        t.add(spec("ltrim", 4, "1.0.0", "Removes elements from both ends a list.", "O(N)", WRITE)
                .handler(ListCommands::ltrim));
        t.add(spec("rpop", -2, "1.0.0", "Returns and removes the last elements of a list.", "O(N)", WRITE, FAST)
                .handler((ctx, argv) -> pop(ctx, argv, false)));
        t.add(spec("rpoplpush", 3, "1.2.0", "Returns the last element of a list after removing and pushing it to another list.",
                "O(1)", WRITE, DENYOOM).keys(1, 2, 1).handler((ctx, argv) -> move(ctx, argv[1], argv[2], false, true)));
        t.add(spec("rpush", -3, "1.0.0", "Appends one or more elements to a list.", "O(1)", WRITE, DENYOOM, FAST)
                .handler((ctx, argv) -> push(ctx, argv, false, true)));
        t.add(spec("rpushx", -3, "2.2.0", "Appends an element to a list only when the list exists.", "O(1)",
                WRITE, DENYOOM, FAST).handler((ctx, argv) -> push(ctx, argv, false, false)));
    }

    private static CommandSpec.Builder spec(String name, int arity, String since, String summary, String complexity,
                                            CommandFlag... flags) {
        return command(name, arity).flags(flags).keys(1, 1, 1).group("list").since(since).summary(summary)
                .complexity(complexity).acl("list");
    }

    private static ListValue read(CommandContext ctx, byte[] key) {
        return ctx.db().getValue(key, ctx.now(), ListValue.class);
    }

    private static EncodingLimits limits(CommandContext ctx) {
        return EncodingLimits.of(ctx.server().config());
    }

    /** LEFT → head, RIGHT → tail, else a syntax error (Redis's getListPositionFromObjectOrReply). */
    static boolean parseEnd(byte[] arg) {
        if (Args.is(arg, "left")) {
            return true;
        }
        if (Args.is(arg, "right")) {
            return false;
        }
        throw CommandError.SYNTAX;
    }

    // ---- pushes ----------------------------------------------------------------------------

    /** LPUSH/RPUSH (create) and LPUSHX/RPUSHX (only when the list exists). */
    private static void push(CommandContext ctx, byte[][] argv, boolean atHead, boolean create) {
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], ListValue.class);
        if (e == null && !create) {
            ctx.out().integer(0);
            return;
        }
        ListValue list = e == null ? new ListValue() : (ListValue) e.value();
        EncodingLimits limits = limits(ctx);
        for (int i = 2; i < argv.length; i++) {
            list.push(argv[i], atHead, limits);
        }
        CollectionWrites.commit(ctx, argv[1], e, list);
        ctx.out().integer(list.size());
    }

    private static void linsert(CommandContext ctx, byte[][] argv) {
        boolean after;
        if (Args.is(argv[2], "after")) {
            after = true;
        } else if (Args.is(argv[2], "before")) {
            after = false;
        } else {
            throw CommandError.SYNTAX;
        }
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], ListValue.class);
        if (e == null) {
            ctx.out().integer(0);
            return;
        }
        ListValue list = (ListValue) e.value();
        if (!list.insertNextTo(argv[3], argv[4], after, limits(ctx))) {
            ctx.out().integer(-1);
            return;
        }
        CollectionWrites.commit(ctx, argv[1], e, list);
        ctx.out().integer(list.size());
    }

    // ---- pops and moves --------------------------------------------------------------------

    /**
     * LPOP/RPOP key [count]. Without count: a bulk or a null bulk. With count: an array, a null
     * array when the key is missing (RESP2 *-1), an empty array for count 0.
     */
    private static void pop(CommandContext ctx, byte[][] argv, boolean atHead) {
        if (argv.length > 3) {
            throw new CommandError("ERR wrong number of arguments for '" + ctx.spec().fullName() + "' command");
        }
        boolean hasCount = argv.length == 3;
        long count = 0;
        if (hasCount) {
            Long c = RedisNumbers.parseLong(argv[2]);
            if (c == null || c < 0) {
                throw CommandError.NOT_POSITIVE; // Redis gives this text for non-numbers too
            }
            count = c;
        }
        RespWriter out = ctx.out();
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], ListValue.class);
        if (e == null) {
            if (hasCount) {
                out.nullArray();
            } else {
                out.nullBulk();
            }
            return;
        }
        if (hasCount && count == 0) {
            out.arrayHeader(0);
            return;
        }
        ListValue list = (ListValue) e.value();
        EncodingLimits limits = limits(ctx);
        if (!hasCount) {
            out.bulk(list.pop(atHead, limits));
        } else {
            popInto(out, list, atHead, count, limits);
        }
        CollectionWrites.commit(ctx, argv[1], e, list);
    }

    /** Pops up to count elements, replying them as an array in pop order. */
    private static void popInto(RespWriter out, ListValue list, boolean atHead, long count, EncodingLimits limits) {
        long n = Math.min(count, list.size());
        out.arrayHeader(n);
        for (long i = 0; i < n; i++) {
            out.bulk(list.pop(atHead, limits));
        }
    }

    /** LMOVE source destination LEFT|RIGHT LEFT|RIGHT. */
    private static void lmove(CommandContext ctx, byte[][] argv) {
        boolean fromHead = parseEnd(argv[3]);
        boolean toHead = parseEnd(argv[4]);
        move(ctx, argv[1], argv[2], fromHead, toHead);
    }

    /**
     * LMOVE and RPOPLPUSH: pop from source, push to destination (which may be the same list).
     * Returns false, replying a null bulk, when the source is missing.
     */
    static boolean move(CommandContext ctx, byte[] src, byte[] dst, boolean fromHead, boolean toHead) {
        KeyEntry se = CollectionWrites.entry(ctx, src, ListValue.class);
        if (se == null) {
            ctx.out().nullBulk();
            return false;
        }
        ListValue source = (ListValue) se.value();
        KeyEntry de = CollectionWrites.entry(ctx, dst, ListValue.class);
        ListValue target = de == null ? new ListValue() : (ListValue) de.value();
        EncodingLimits limits = limits(ctx);
        byte[] v = source.pop(fromHead, limits);
        target.push(v, toHead, limits);
        // Push first, then judge the source: with src == dst a one-element list rotates in place.
        CollectionWrites.commit(ctx, dst, de, target);
        if (se != de) {
            CollectionWrites.commit(ctx, src, se, source);
        }
        ctx.out().bulk(v);
        return true;
    }

    /** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]. */
    private static void lmpop(CommandContext ctx, byte[][] argv) {
        MpopArgs a = MpopArgs.parse(argv, 1);
        for (int i = a.firstKey(); i < a.firstKey() + a.numkeys(); i++) {
            if (mpopFrom(ctx, argv[i], a.atHead(), a.count())) {
                return;
            }
        }
        ctx.out().nullArray();
    }

    /** The parsed "numkeys key... LEFT|RIGHT [COUNT count]" of LMPOP and BLMPOP. */
    record MpopArgs(int firstKey, int numkeys, boolean atHead, long count) {
        /** Parses from argv[numkeysIdx] with LMPOP's checks, in Redis's order. */
        static MpopArgs parse(byte[][] argv, int numkeysIdx) {
            long numkeys = parseNumkeys(argv[numkeysIdx]);
            if (numkeys >= argv.length - numkeysIdx - 1) {
                throw CommandError.SYNTAX; // no room for LEFT|RIGHT after the keys
            }
            long whereIndex = numkeysIdx + 1 + numkeys;
            boolean atHead = parseEnd(argv[(int) whereIndex]);
            long count = NumKeys.mpopCount(argv, (int) whereIndex + 1);
            return new MpopArgs(numkeysIdx + 1, (int) numkeys, atHead, count);
        }
    }

    /**
     * Pops up to count elements from the list at key, replying [key, [elements]]; false (no
     * reply) when the key is missing. LMPOP and BLMPOP.
     */
    static boolean mpopFrom(CommandContext ctx, byte[] key, boolean atHead, long count) {
        KeyEntry e = CollectionWrites.entry(ctx, key, ListValue.class);
        if (e == null) {
            return false;
        }
        ListValue list = (ListValue) e.value();
        RespWriter out = ctx.out();
        out.arrayHeader(2);
        out.bulk(key);
        popInto(out, list, atHead, count, limits(ctx));
        CollectionWrites.commit(ctx, key, e, list);
        return true;
    }

    /**
     * Pops one element from the list at key, replying [key, element]; false (no reply) when the
     * key is missing. BLPOP and BRPOP.
     */
    static boolean popWithKey(CommandContext ctx, byte[] key, boolean atHead) {
        KeyEntry e = CollectionWrites.entry(ctx, key, ListValue.class);
        if (e == null) {
            return false;
        }
        ListValue list = (ListValue) e.value();
        RespWriter out = ctx.out();
        out.arrayHeader(2);
        out.bulk(key);
        out.bulk(list.pop(atHead, limits(ctx)));
        CollectionWrites.commit(ctx, key, e, list);
        return true;
    }

    private static long parseNumkeys(byte[] arg) {
        Long n = RedisNumbers.parseLong(arg);
        if (n == null || n < 1) {
            throw NUMKEYS;
        }
        return n;
    }

    /** LMPOP's keys: argv[2 .. 2+numkeys-1], none when numkeys is invalid. */
    static int[] lmpopKeys(byte[][] argv) {
        Long n = argv.length > 1 ? RedisNumbers.parseLong(argv[1]) : null;
        if (n == null || n < 1 || n > argv.length - 2) {
            return new int[0];
        }
        int[] keys = new int[n.intValue()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = 2 + i;
        }
        return keys;
    }

    // ---- in-place edits --------------------------------------------------------------------

    private static void lset(CommandContext ctx, byte[][] argv) {
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], ListValue.class);
        if (e == null) {
            throw CommandError.NO_SUCH_KEY;
        }
        long index = Args.toLong(argv[2]);
        ListValue list = (ListValue) e.value();
        if (!list.set(index, argv[3], limits(ctx))) {
            throw INDEX_RANGE;
        }
        CollectionWrites.commit(ctx, argv[1], e, list);
        ctx.out().ok();
    }

    private static void lrem(CommandContext ctx, byte[][] argv) {
        long count = Args.toLong(argv[2]);
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], ListValue.class);
        if (e == null) {
            ctx.out().integer(0);
            return;
        }
        ListValue list = (ListValue) e.value();
        long removed = list.remove(argv[3], count, limits(ctx));
        if (removed > 0) {
            CollectionWrites.commit(ctx, argv[1], e, list);
        }
        ctx.out().integer(removed);
    }

    private static void ltrim(CommandContext ctx, byte[][] argv) {
        long start = Args.toLong(argv[2]);
        long end = Args.toLong(argv[3]);
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], ListValue.class);
        if (e == null) {
            ctx.out().ok();
            return;
        }
        ListValue list = (ListValue) e.value();
        long len = list.size();
        long[] range = clampRange(start, end, len);
        long fromHead = range == null ? len : range[0];
        long fromTail = range == null ? 0 : len - range[1] - 1;
        list.trim(fromHead, fromTail, limits(ctx));
        CollectionWrites.commit(ctx, argv[1], e, list);
        ctx.out().ok();
    }

    /**
     * Redis's LRANGE/LTRIM index rules: negative indexes count from the tail, start clamps to 0,
     * end to len-1; null when the range is empty.
     */
    static long[] clampRange(long start, long end, long len) {
        if (start < 0) {
            start = len + start;
        }
        if (end < 0) {
            end = len + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= len) {
            return null;
        }
        if (end >= len) {
            end = len - 1;
        }
        return new long[] {start, end};
    }

    // ---- reads -----------------------------------------------------------------------------

    private static void llen(CommandContext ctx, byte[][] argv) {
        ListValue list = read(ctx, argv[1]);
        ctx.out().integer(list == null ? 0 : list.size());
    }

    private static void lindex(CommandContext ctx, byte[][] argv) {
        ListValue list = read(ctx, argv[1]);
        if (list == null) {
            ctx.out().nullBulk();
            return;
        }
        ctx.out().bulk(list.get(Args.toLong(argv[2])));
    }

    private static void lrange(CommandContext ctx, byte[][] argv) {
        long start = Args.toLong(argv[2]);
        long end = Args.toLong(argv[3]);
        ListValue list = read(ctx, argv[1]);
        RespWriter out = ctx.out();
        long[] range = list == null ? null : clampRange(start, end, list.size());
        if (range == null) {
            out.arrayHeader(0);
            return;
        }
        out.arrayHeader(range[1] - range[0] + 1);
        list.forRange(range[0], range[1], out::bulk);
    }

    /** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]. */
    private static void lpos(CommandContext ctx, byte[][] argv) {
        long rank = 1;
        long count = -1; // -1: COUNT not given, reply a single index
        long maxlen = 0;
        for (int j = 3; j < argv.length; j++) {
            boolean more = j + 1 < argv.length;
            if (more && Args.is(argv[j], "rank")) {
                rank = Args.toLong(argv[++j]);
                if (rank == 0) {
                    throw RANK_ZERO;
                }
            } else if (more && Args.is(argv[j], "count")) {
                count = nonNegative(argv[++j], COUNT_NEGATIVE);
            } else if (more && Args.is(argv[j], "maxlen")) {
                maxlen = nonNegative(argv[++j], MAXLEN_NEGATIVE);
            } else {
                throw CommandError.SYNTAX;
            }
        }
        ListValue list = read(ctx, argv[1]);
        RespWriter out = ctx.out();
        if (list == null) {
            if (count != -1) {
                out.arrayHeader(0);
            } else {
                out.nullBulk();
            }
            return;
        }
        boolean fromTail = rank < 0;
        // Matches to pass over before the first reported one. Redis 7.0 negates LONG_MIN into
        // itself, which then behaves as rank -1 (every match counts as reached).
        long skip = rank == Long.MIN_VALUE ? 0 : Math.abs(rank) - 1;
        long want = count == -1 ? 1 : (count == 0 ? Long.MAX_VALUE : count);
        long limit = maxlen == 0 ? Long.MAX_VALUE : maxlen;
        byte[] element = argv[2];
        // Matches are few compared to the scan; collect them, then size the reply.
        long[][] found = {new long[4]};
        int[] n = {0};
        long[] state = {0, skip}; // [scanned, still to skip]
        list.visit(fromTail, (index, e) -> {
            if (state[0]++ >= limit) {
                return false;
            }
            if (Arrays.equals(e, element)) {
                if (state[1] > 0) {
                    state[1]--;
                } else {
                    if (n[0] == found[0].length) {
                        found[0] = Arrays.copyOf(found[0], n[0] * 2);
                    }
                    found[0][n[0]++] = index;
                    return n[0] < want;
                }
            }
            return true;
        });
        if (count == -1) {
            if (n[0] == 0) {
                out.nullBulk();
            } else {
                out.integer(found[0][0]);
            }
            return;
        }
        out.arrayHeader(n[0]);
        for (int i = 0; i < n[0]; i++) {
            out.integer(found[0][i]);
        }
    }

    private static long nonNegative(byte[] arg, CommandError error) {
        Long v = RedisNumbers.parseLong(arg);
        if (v == null || v < 0) {
            throw error;
        }
        return v;
    }
}
