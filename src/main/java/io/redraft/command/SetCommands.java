package io.redraft.command;

import io.redraft.resp.RespWriter;
import io.redraft.store.KeyEntry;
import io.redraft.store.SetEncodingLimits;
import io.redraft.store.SetValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/**
 * Set commands. Random picks (SPOP, SRANDMEMBER) draw from {@code ctx.random()}, which a write
 * gets seeded from its log index, so every node pops the same members.
 */
final class SetCommands implements CommandFamily {
    static final CommandError OUT_OF_RANGE = new CommandError("ERR value is out of range");
    /** SRANDMEMBER / ZRANDMEMBER accept counts in -LONG_MAX..LONG_MAX (Redis's range check text). */
    static final CommandError COUNT_RANGE = new CommandError(
            "ERR value is out of range, must be between -9223372036854775807 and 9223372036854775807");
    static final CommandError LIMIT_NEGATIVE = new CommandError("ERR LIMIT can't be negative");

    @Override
    public void register(CommandTable t) {
        t.add(w("sadd", -3, "Adds one or more members to a set. Creates the key if it doesn't exist.", "1.0.0")
                .flags(DENYOOM, FAST).keys(1, 1, 1).handler(SetCommands::sadd));
        t.add(r("scard", 2, "Returns the number of members in a set.", "1.0.0").flags(FAST).keys(1, 1, 1)
                .handler((ctx, argv) -> {
                    SetValue s = read(ctx, argv[1]);
                    ctx.out().integer(s == null ? 0 : s.size());
                }));
        t.add(r("sdiff", -2, "Returns the difference of multiple sets.", "1.0.0").keys(1, -1, 1)
                .handler((ctx, argv) -> replySet(ctx, combine(ctx, argv, 1, argv.length, DIFF, false))));
        t.add(w("sdiffstore", -3, "Stores the difference of multiple sets in a key.", "1.0.0").flags(DENYOOM)
                .keys(1, -1, 1).handler((ctx, argv) -> store(ctx, argv, DIFF)));
        t.add(r("sinter", -2, "Returns the intersect of multiple sets.", "1.0.0").keys(1, -1, 1)
                .handler(SetCommands::sinter));
        t.add(r("sintercard", -3, "Returns the number of members of the intersect of multiple sets.", "7.0.0")
                .keyFinder(NumKeys.finder(1, false)).handler(SetCommands::sintercard));
        t.add(w("sinterstore", -3, "Stores the intersect of multiple sets in a key.", "1.0.0").flags(DENYOOM)
                .keys(1, -1, 1).handler((ctx, argv) -> store(ctx, argv, INTER)));
        t.add(r("sismember", 3, "Determines whether a member belongs to a set.", "1.0.0").flags(FAST).keys(1, 1, 1)
                .handler((ctx, argv) -> {
                    SetValue s = read(ctx, argv[1]);
                    ctx.out().integer(s != null && s.contains(argv[2]) ? 1 : 0);
                }));
        t.add(r("smembers", 2, "Returns all members of a set.", "1.0.0").keys(1, 1, 1)
                .handler((ctx, argv) -> replySet(ctx, read(ctx, argv[1]))));
        t.add(r("smismember", -3, "Determines whether multiple members belong to a set.", "6.2.0").flags(FAST)
                .keys(1, 1, 1).handler(SetCommands::smismember));
        t.add(w("smove", 4, "Moves a member from one set to another.", "1.0.0").flags(FAST).keys(1, 2, 1)
                .handler(SetCommands::smove));
        t.add(w("spop", -2, "Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.", "1.0.0")
                .flags(FAST).keys(1, 1, 1).handler(SetCommands::spop));
        t.add(r("srandmember", -2, "Get one or multiple random members from a set", "1.0.0").keys(1, 1, 1)
                .handler(SetCommands::srandmember));
        t.add(w("srem", -3, "Removes one or more members from a set. Deletes the set if the last member was removed.", "1.0.0")
                .flags(FAST).keys(1, 1, 1).handler(SetCommands::srem));
        t.add(r("sscan", -3, "Iterates over members of a set.", "2.8.0").keys(1, 1, 1).handler(SetCommands::sscan));
        t.add(r("sunion", -2, "Returns the union of multiple sets.", "1.0.0").keys(1, -1, 1)
                .handler((ctx, argv) -> replySet(ctx, combine(ctx, argv, 1, argv.length, UNION, false))));
        t.add(w("sunionstore", -3, "Stores the union of multiple sets in a key.", "1.0.0").flags(DENYOOM)
                .keys(1, -1, 1).handler((ctx, argv) -> store(ctx, argv, UNION)));
    }

    private static CommandSpec.Builder r(String name, int arity, String summary, String since) {
        return command(name, arity).flags(READONLY).group("set").summary(summary).since(since);
    }

    private static CommandSpec.Builder w(String name, int arity, String summary, String since) {
        return command(name, arity).flags(WRITE).group("set").summary(summary).since(since);
    }

    static SetValue read(CommandContext ctx, byte[] key) {
        return ctx.db().getValue(key, ctx.now(), SetValue.class);
    }

    static SetEncodingLimits limits(CommandContext ctx) {
        return SetEncodingLimits.read(ctx.server().config());
    }

    private static void replySet(CommandContext ctx, SetValue s) {
        RespWriter out = ctx.out();
        if (s == null) {
            out.setHeader(0);
            return;
        }
        out.setHeader(s.size());
        s.forEach(out::bulk);
    }

    private static void sadd(CommandContext ctx, byte[][] argv) {
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], SetValue.class);
        SetValue set = e == null ? new SetValue() : (SetValue) e.value();
        SetEncodingLimits limits = limits(ctx);
        int added = 0;
        for (int i = 2; i < argv.length; i++) {
            if (set.add(argv[i], limits)) {
                added++;
            }
        }
        if (e == null) {
            ctx.db().put(argv[1], set, false);
        } else if (added > 0) {
            ctx.db().touch(e);
        }
        ctx.out().integer(added);
    }

    private static void srem(CommandContext ctx, byte[][] argv) {
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], SetValue.class);
        int removed = 0;
        if (e != null) {
            SetValue set = (SetValue) e.value();
            for (int i = 2; i < argv.length && !set.isEmpty(); i++) {
                if (set.remove(argv[i])) {
                    removed++;
                }
            }
            if (removed > 0) {
                CollectionWrites.afterRemoval(ctx, e, set);
            }
        }
        ctx.out().integer(removed);
    }

    private static void smismember(CommandContext ctx, byte[][] argv) {
        SetValue s = read(ctx, argv[1]);
        ctx.out().arrayHeader(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            ctx.out().integer(s != null && s.contains(argv[i]) ? 1 : 0);
        }
    }

    private static void smove(CommandContext ctx, byte[][] argv) {
        // Redis answers 0 for a missing source before it checks the destination's type.
        KeyEntry src = CollectionWrites.entry(ctx, argv[1], SetValue.class);
        if (src == null) {
            ctx.db().lookupWrite(argv[2], ctx.now());
            ctx.out().integer(0);
            return;
        }
        KeyEntry dst = CollectionWrites.entry(ctx, argv[2], SetValue.class);
        SetValue from = (SetValue) src.value();
        if (src == dst) {
            // Same key: nothing moves, the reply only says whether the member is there.
            ctx.out().integer(from.contains(argv[3]) ? 1 : 0);
            return;
        }
        if (!from.remove(argv[3])) {
            ctx.out().integer(0);
            return;
        }
        CollectionWrites.afterRemoval(ctx, src, from);
        if (dst == null) {
            SetValue to = new SetValue();
            to.add(argv[3], limits(ctx));
            ctx.db().put(argv[2], to, false);
        } else if (((SetValue) dst.value()).add(argv[3], limits(ctx))) {
            ctx.db().touch(dst);
        }
        ctx.out().integer(1);
    }

    private static void spop(CommandContext ctx, byte[][] argv) {
        if (argv.length > 3) {
            throw CommandError.SYNTAX;
        }
        long count = -1;
        if (argv.length == 3) {
            count = Args.toLong(argv[2]);
            if (count < 0) {
                throw CommandError.NOT_POSITIVE;
            }
        }
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], SetValue.class);
        RespWriter out = ctx.out();
        if (e == null) {
            if (count < 0) {
                out.nullBulk();
            } else {
                out.setHeader(0);
            }
            return;
        }
        SetValue set = (SetValue) e.value();
        SplittableRandom random = ctx.random();
        if (count < 0) {
            byte[] m = set.memberAt(random.nextInt(set.size()));
            set.remove(m);
            CollectionWrites.afterRemoval(ctx, e, set);
            out.bulk(m);
            return;
        }
        if (count == 0) {
            out.setHeader(0);
            return;
        }
        if (count >= set.size()) {
            // Everything goes: reply the whole set in its own order and delete the key.
            out.setHeader(set.size());
            set.forEach(out::bulk);
            ctx.db().delete(argv[1], ctx.now());
            return;
        }
        int n = (int) count;
        out.setHeader(n);
        for (int i = 0; i < n; i++) {
            byte[] m = set.memberAt(random.nextInt(set.size()));
            set.remove(m);
            out.bulk(m);
        }
        CollectionWrites.afterRemoval(ctx, e, set);
    }

    private static void srandmember(CommandContext ctx, byte[][] argv) {
        if (argv.length > 3) {
            throw CommandError.SYNTAX;
        }
        RespWriter out = ctx.out();
        if (argv.length == 2) {
            SetValue s = read(ctx, argv[1]);
            if (s == null) {
                out.nullBulk();
            } else {
                out.bulk(s.memberAt(ctx.random().nextInt(s.size())));
            }
            return;
        }
        long count = Args.toLong(argv[2]);
        if (count == Long.MIN_VALUE) {
            throw COUNT_RANGE;
        }
        SetValue s = read(ctx, argv[1]);
        if (s == null || count == 0) {
            out.arrayHeader(0);
            return;
        }
        int[] picks = randomPositions(ctx.random(), s.size(), count);
        out.arrayHeader(picks.length);
        for (int p : picks) {
            out.bulk(s.memberAt(p));
        }
    }

    /**
     * Positions for a random pick of |count| elements among size: with repetition when count is
     * negative, else min(count, size) distinct positions. Shared with ZRANDMEMBER.
     */
    static int[] randomPositions(SplittableRandom random, int size, long count) {
        if (count < 0) {
            long n = -count;
            if (n > Integer.MAX_VALUE - 8) {
                throw OUT_OF_RANGE;
            }
            int[] picks = new int[(int) n];
            for (int i = 0; i < picks.length; i++) {
                picks[i] = random.nextInt(size);
            }
            return picks;
        }
        int n = (int) Math.min(count, size);
        if (n == size) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        if ((long) n * 3 > size) {
            // Many of them: a partial Fisher-Yates shuffle of all positions.
            int[] perm = new int[size];
            for (int i = 0; i < size; i++) {
                perm[i] = i;
            }
            for (int i = 0; i < n; i++) {
                int j = i + random.nextInt(size - i);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            return Arrays.copyOf(perm, n);
        }
        // Few of them: draw until n distinct positions are found.
        HashSet<Integer> seen = new HashSet<>();
        int[] picks = new int[n];
        int k = 0;
        while (k < n) {
            int p = random.nextInt(size);
            if (seen.add(p)) {
                picks[k++] = p;
            }
        }
        return picks;
    }

    private static void sscan(CommandContext ctx, byte[][] argv) {
        ScanArgs.replyPage(ctx, argv, key -> read(ctx, key), (SetValue s, ScanArgs scan, List<byte[]> found) ->
                s.scan(scan.cursor, scan.count, m -> {
                    if (scan.matches(m)) {
                        found.add(m);
                    }
                }));
    }

    /** Replies in the smallest set's own order, as Redis does (no intermediate set). */
    private static void sinter(CommandContext ctx, byte[][] argv) {
        List<byte[]> found = new ArrayList<>();
        intersection(sources(ctx, argv, 1, argv.length, false), found::add, 0);
        ctx.out().setHeader(found.size());
        found.forEach(ctx.out()::bulk);
    }

    private static void sintercard(CommandContext ctx, byte[][] argv) {
        int numkeys = NumKeys.parse(argv, 1);
        long limit = 0;
        for (int i = 2 + numkeys; i < argv.length; i += 2) {
            if (Args.is(argv[i], "limit") && i + 1 < argv.length) {
                Long l = io.redraft.resp.RedisNumbers.parseLong(argv[i + 1]);
                if (l == null || l < 0) {
                    throw LIMIT_NEGATIVE;
                }
                limit = l;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        SetValue[] sets = sources(ctx, argv, 2, 2 + numkeys, false);
        ctx.out().integer(intersection(sets, null, limit));
    }

    private static final int UNION = 0;
    private static final int INTER = 1;
    private static final int DIFF = 2;

    private static void store(CommandContext ctx, byte[][] argv, int op) {
        SetValue result = combine(ctx, argv, 2, argv.length, op, true);
        CollectionWrites.storeResult(ctx, argv[1], result);
        ctx.out().integer(result.size());
    }

    /** The sets at argv[from..to), a missing key being null; WRONGTYPE if any key holds another type. */
    private static SetValue[] sources(CommandContext ctx, byte[][] argv, int from, int to, boolean write) {
        SetValue[] sets = new SetValue[to - from];
        for (int i = from; i < to; i++) {
            sets[i - from] = write ? ctx.db().getValueForWrite(argv[i], ctx.now(), SetValue.class) : read(ctx, argv[i]);
        }
        return sets;
    }

    /** SUNION / SINTER / SDIFF of the sets at argv[from..to), as a new set. */
    private static SetValue combine(CommandContext ctx, byte[][] argv, int from, int to, int op, boolean write) {
        SetValue[] sets = sources(ctx, argv, from, to, write);
        SetEncodingLimits limits = limits(ctx);
        SetValue result = new SetValue();
        switch (op) {
            case UNION -> {
                for (SetValue s : sets) {
                    if (s != null) {
                        s.forEach(m -> result.add(m, limits));
                    }
                }
            }
            case INTER -> intersection(sets, m -> result.add(m, limits), 0);
            default -> {
                if (sets[0] != null) {
                    sets[0].forEach(m -> {
                        for (int i = 1; i < sets.length; i++) {
                            if (sets[i] != null && sets[i].contains(m)) {
                                return;
                            }
                        }
                        result.add(m, limits);
                    });
                }
            }
        }
        return result;
    }

    /**
     * Walks the smallest set and passes each member found in all the others to sink (if not
     * null); stops after limit members when limit > 0. Returns how many were found.
     */
    private static long intersection(SetValue[] sets, java.util.function.Consumer<byte[]> sink, long limit) {
        for (SetValue s : sets) {
            if (s == null) {
                return 0;
            }
        }
        SetValue[] sorted = sets.clone();
        Arrays.sort(sorted, Comparator.comparingInt(SetValue::size));
        long found = 0;
        SetValue smallest = sorted[0];
        for (int p = 0; p < smallest.size(); p++) {
            byte[] m = smallest.memberAt(p);
            boolean all = true;
            for (int i = 1; i < sorted.length && all; i++) {
                all = sorted[i] == smallest || sorted[i].contains(m);
            }
            if (all) {
                found++;
                if (sink != null) {
                    sink.accept(m);
                }
                if (limit > 0 && found >= limit) {
                    break;
                }
            }
        }
        return found;
    }
}
