package io.redraft.command;

import io.redraft.resp.RedisNumbers;
import io.redraft.resp.RespWriter;
import io.redraft.store.KeyEntry;
import io.redraft.store.SetEncodingLimits;
import io.redraft.store.SetValue;
import io.redraft.store.SortedSetValue;
import io.redraft.store.WrongTypeException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/**
 * Sorted-set commands. Replies follow Redis 7.0: with WITHSCORES a RESP2 client gets a flat
 * member, score, member… array and a RESP3 client an array of [member, score] pairs.
 */
final class SortedSetCommands implements CommandFamily {
    private static final CommandError NAN_SCORE = new CommandError("ERR resulting score is not a number (NaN)");

    // range kinds and directions of the ZRANGE family, as Redis's zrangeGenericCommand
    private static final int AUTO = 0;
    private static final int RANK = 1;
    private static final int SCORE = 2;
    private static final int LEX = 3;
    private static final int FORWARD = 1;
    private static final int REVERSE = 2;

    // set operations
    private static final int UNION = 0;
    private static final int INTER = 1;
    private static final int DIFF = 2;

    @Override
    public void register(CommandTable t) {
        t.add(w("zadd", -4, "Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.", "1.2.0")
                .flags(DENYOOM, FAST).keys(1, 1, 1).handler(SortedSetCommands::zadd));
        t.add(r("zcard", 2, "Returns the number of members in a sorted set.", "1.2.0").flags(FAST).keys(1, 1, 1)
                .handler((ctx, argv) -> {
                    SortedSetValue z = read(ctx, argv[1]);
                    ctx.out().integer(z == null ? 0 : z.size());
                }));
        t.add(r("zcount", 4, "Returns the count of members in a sorted set that have scores within a range.", "2.0.0")
                .flags(FAST).keys(1, 1, 1).handler(SortedSetCommands::zcount));
        t.add(r("zdiff", -3, "Returns the difference between multiple sorted sets.", "6.2.0")
                .keyFinder(NumKeys.finder(1, false))
                .handler((ctx, argv) -> setOperation(ctx, argv, null, 1, DIFF, false)));
        t.add(w("zdiffstore", -4, "Stores the difference of multiple sorted sets in a key.", "6.2.0").flags(DENYOOM)
                .keyFinder(NumKeys.finder(2, true))
                .handler((ctx, argv) -> setOperation(ctx, argv, argv[1], 2, DIFF, false)));
        t.add(w("zincrby", 4, "Increments the score of a member in a sorted set.", "1.2.0").flags(DENYOOM, FAST)
                .keys(1, 1, 1).handler(SortedSetCommands::zincrby));
        t.add(r("zinter", -3, "Returns the intersect of multiple sorted sets.", "6.2.0")
                .keyFinder(NumKeys.finder(1, false))
                .handler((ctx, argv) -> setOperation(ctx, argv, null, 1, INTER, false)));
        t.add(r("zintercard", -3, "Returns the number of members of the intersect of multiple sorted sets.", "7.0.0")
                .keyFinder(NumKeys.finder(1, false))
                .handler((ctx, argv) -> setOperation(ctx, argv, null, 1, INTER, true)));
        t.add(w("zinterstore", -4, "Stores the intersect of multiple sorted sets in a key.", "2.0.0").flags(DENYOOM)
                .keyFinder(NumKeys.finder(2, true))
                .handler((ctx, argv) -> setOperation(ctx, argv, argv[1], 2, INTER, false)));
        t.add(r("zlexcount", 4, "Returns the number of members in a sorted set within a lexicographical range.", "2.8.9")
                .flags(FAST).keys(1, 1, 1).handler(SortedSetCommands::zlexcount));
        t.add(w("zmpop", -4, "Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.", "7.0.0")
                .keyFinder(NumKeys.finder(1, false)).handler(SortedSetCommands::zmpop));
        t.add(r("zmscore", -3, "Returns the score of one or more members in a sorted set.", "6.2.0").flags(FAST)
                .keys(1, 1, 1).handler(SortedSetCommands::zmscore));
        t.add(w("zpopmax", -2, "Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.", "5.0.0")
                .flags(FAST).keys(1, 1, 1).handler((ctx, argv) -> zpop(ctx, argv, true)));
        t.add(w("zpopmin", -2, "Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.", "5.0.0")
                .flags(FAST).keys(1, 1, 1).handler((ctx, argv) -> zpop(ctx, argv, false)));
        t.add(r("zrandmember", -2, "Returns one or more random members from a sorted set.", "6.2.0").keys(1, 1, 1)
                .handler(SortedSetCommands::zrandmember));
        t.add(r("zrange", -4, "Returns members in a sorted set within a range of indexes.", "1.2.0").keys(1, 1, 1)
                .handler((ctx, argv) -> zrange(ctx, argv, 1, false, AUTO, AUTO)));
        t.add(r("zrangebylex", -4, "Returns members in a sorted set within a lexicographical range.", "2.8.9").keys(1, 1, 1)
                .handler((ctx, argv) -> zrange(ctx, argv, 1, false, LEX, FORWARD)));
        t.add(r("zrangebyscore", -4, "Returns members in a sorted set within a range of scores.", "1.0.5").keys(1, 1, 1)
                .handler((ctx, argv) -> zrange(ctx, argv, 1, false, SCORE, FORWARD)));
        t.add(w("zrangestore", -5, "Stores a range of members from sorted set in a key.", "6.2.0").flags(DENYOOM)
                .keys(1, 2, 1).handler((ctx, argv) -> zrange(ctx, argv, 2, true, AUTO, AUTO)));
        t.add(r("zrank", 3, "Returns the index of a member in a sorted set ordered by ascending scores.", "2.0.0")
                .flags(FAST).keys(1, 1, 1).handler((ctx, argv) -> zrank(ctx, argv, false)));
        t.add(w("zrem", -3, "Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.", "1.2.0")
                .flags(FAST).keys(1, 1, 1).handler(SortedSetCommands::zrem));
        t.add(w("zremrangebylex", 4, "Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.", "2.8.9")
                .keys(1, 1, 1).handler((ctx, argv) -> zremrange(ctx, argv, LEX)));
        t.add(w("zremrangebyrank", 4, "Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.", "2.0.0")
                .keys(1, 1, 1).handler((ctx, argv) -> zremrange(ctx, argv, RANK)));
        t.add(w("zremrangebyscore", 4, "Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.", "1.2.0")
                .keys(1, 1, 1).handler((ctx, argv) -> zremrange(ctx, argv, SCORE)));
        t.add(r("zrevrange", -4, "Returns members in a sorted set within a range of indexes in reverse order.", "1.2.0")
                .keys(1, 1, 1).handler((ctx, argv) -> zrange(ctx, argv, 1, false, RANK, REVERSE)));
        t.add(r("zrevrangebylex", -4, "Returns members in a sorted set within a lexicographical range in reverse order.", "2.8.9")
                .keys(1, 1, 1).handler((ctx, argv) -> zrange(ctx, argv, 1, false, LEX, REVERSE)));
        t.add(r("zrevrangebyscore", -4, "Returns members in a sorted set within a range of scores in reverse order.", "2.2.0")
                .keys(1, 1, 1).handler((ctx, argv) -> zrange(ctx, argv, 1, false, SCORE, REVERSE)));
        t.add(r("zrevrank", 3, "Returns the index of a member in a sorted set ordered by descending scores.", "2.0.0")
                .flags(FAST).keys(1, 1, 1).handler((ctx, argv) -> zrank(ctx, argv, true)));
        t.add(r("zscan", -3, "Iterates over members and scores of a sorted set.", "2.8.0").keys(1, 1, 1)
                .handler(SortedSetCommands::zscan));
        t.add(r("zscore", 3, "Returns the score of a member in a sorted set.", "1.2.0").flags(FAST).keys(1, 1, 1)
                .handler((ctx, argv) -> {
                    SortedSetValue z = read(ctx, argv[1]);
                    replyScoreOrNull(ctx.out(), z == null ? Double.NaN : z.score(argv[2]));
                }));
        t.add(r("zunion", -3, "Returns the union of multiple sorted sets.", "6.2.0")
                .keyFinder(NumKeys.finder(1, false))
                .handler((ctx, argv) -> setOperation(ctx, argv, null, 1, UNION, false)));
        t.add(w("zunionstore", -4, "Stores the union of multiple sorted sets in a key.", "2.0.0").flags(DENYOOM)
                .keyFinder(NumKeys.finder(2, true))
                .handler((ctx, argv) -> setOperation(ctx, argv, argv[1], 2, UNION, false)));
    }

    private static CommandSpec.Builder r(String name, int arity, String summary, String since) {
        return command(name, arity).flags(READONLY).group("sorted-set").summary(summary).since(since);
    }

    private static CommandSpec.Builder w(String name, int arity, String summary, String since) {
        return command(name, arity).flags(WRITE).group("sorted-set").summary(summary).since(since);
    }

    private static SortedSetValue read(CommandContext ctx, byte[] key) {
        return ctx.db().getValue(key, ctx.now(), SortedSetValue.class);
    }

    private static SetEncodingLimits limits(CommandContext ctx) {
        return SetEncodingLimits.read(ctx.server().config());
    }

    // ---- replies ----

    private static void replyScoreOrNull(RespWriter out, double score) {
        if (Double.isNaN(score)) {
            out.nullBulk();
        } else {
            out.doubleValue(score);
        }
    }

    /** Header of n elements, flat (RESP2) or as pairs (RESP3) when withScores. */
    private static void elementsHeader(RespWriter out, long n, boolean withScores) {
        out.arrayHeader(withScores && !out.resp3() ? n * 2 : n);
    }

    private static void element(RespWriter out, byte[] member, double score, boolean withScores) {
        if (withScores && out.resp3()) {
            out.arrayHeader(2);
        }
        out.bulk(member);
        if (withScores) {
            out.doubleValue(score);
        }
    }

    private static void replyAll(RespWriter out, SortedSetValue z, boolean withScores) {
        elementsHeader(out, z.size(), withScores);
        z.forEach((m, s) -> element(out, m, s, withScores));
    }

    // ---- ZADD / ZINCRBY ----

    private static void zadd(CommandContext ctx, byte[][] argv) {
        boolean nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
        int i = 2;
        for (; i < argv.length; i++) {
            byte[] a = argv[i];
            if (Args.is(a, "nx")) {
                nx = true;
            } else if (Args.is(a, "xx")) {
                xx = true;
            } else if (Args.is(a, "gt")) {
                gt = true;
            } else if (Args.is(a, "lt")) {
                lt = true;
            } else if (Args.is(a, "ch")) {
                ch = true;
            } else if (Args.is(a, "incr")) {
                incr = true;
            } else {
                break;
            }
        }
        int elements = argv.length - i;
        if (elements == 0 || elements % 2 != 0) {
            throw CommandError.SYNTAX;
        }
        if (nx && xx) {
            throw new CommandError("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && elements > 2) {
            throw new CommandError("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[elements / 2];
        for (int k = 0; k < scores.length; k++) {
            scores[k] = Args.toDouble(argv[i + 2 * k]);
        }
        add(ctx, argv[1], argv, i, scores, nx, xx, gt, lt, ch, incr);
    }

    private static void zincrby(CommandContext ctx, byte[][] argv) {
        // ZINCRBY key increment member is ZADD key INCR increment member.
        add(ctx, argv[1], argv, 2, new double[]{Args.toDouble(argv[2])}, false, false, false, false, false, true);
    }

    private static void add(CommandContext ctx, byte[] key, byte[][] argv, int first, double[] scores,
                            boolean nx, boolean xx, boolean gt, boolean lt, boolean ch, boolean incr) {
        RespWriter out = ctx.out();
        KeyEntry e = CollectionWrites.entry(ctx, key, SortedSetValue.class);
        if (e == null && xx) {
            if (incr) {
                out.nullBulk();
            } else {
                out.integer(0);
            }
            return;
        }
        SortedSetValue z = e == null ? new SortedSetValue() : (SortedSetValue) e.value();
        SetEncodingLimits limits = limits(ctx);
        long added = 0;
        long updated = 0;
        long processed = 0;
        double score = 0;
        try {
            for (int k = 0; k < scores.length; k++) {
                byte[] member = argv[first + 2 * k + 1];
                score = scores[k];
                double old = z.score(member);
                if (!Double.isNaN(old)) {
                    if (nx) {
                        continue;
                    }
                    if (incr) {
                        score += old;
                        if (Double.isNaN(score)) {
                            throw NAN_SCORE;
                        }
                    }
                    if ((lt && score >= old) || (gt && score <= old)) {
                        continue;
                    }
                    processed++;
                    if (z.add(member, score, limits) == SortedSetValue.UPDATED) {
                        updated++;
                    }
                } else if (!xx) {
                    z.add(member, score, limits);
                    added++;
                    processed++;
                }
            }
        } finally {
            if (e == null && !z.isEmpty()) {
                ctx.db().put(key, z, false);
            } else if (e != null && added + updated > 0) {
                ctx.db().touch(e);
            }
        }
        if (incr) {
            if (processed > 0) {
                out.doubleValue(score);
            } else {
                out.nullBulk();
            }
        } else {
            out.integer(ch ? added + updated : added);
        }
    }

    // ---- simple reads ----

    private static void zcount(CommandContext ctx, byte[][] argv) {
        ZBounds.Score min = ZBounds.score(argv[2]);
        ZBounds.Score max = ZBounds.score(argv[3]);
        SortedSetValue z = read(ctx, argv[1]);
        long[] r = z == null ? new long[2] : ZBounds.scoreRanks(z, min, max);
        ctx.out().integer(r[1] - r[0]);
    }

    private static void zlexcount(CommandContext ctx, byte[][] argv) {
        ZBounds.Lex min = ZBounds.lex(argv[2]);
        ZBounds.Lex max = ZBounds.lex(argv[3]);
        SortedSetValue z = read(ctx, argv[1]);
        long[] r = z == null ? new long[2] : ZBounds.lexRanks(z, min, max);
        ctx.out().integer(r[1] - r[0]);
    }

    private static void zmscore(CommandContext ctx, byte[][] argv) {
        SortedSetValue z = read(ctx, argv[1]);
        RespWriter out = ctx.out();
        out.arrayHeader(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            replyScoreOrNull(out, z == null ? Double.NaN : z.score(argv[i]));
        }
    }

    private static void zrank(CommandContext ctx, byte[][] argv, boolean reverse) {
        SortedSetValue z = read(ctx, argv[1]);
        long rank = z == null ? -1 : z.rank(argv[2]);
        if (rank < 0) {
            ctx.out().nullBulk();
        } else {
            ctx.out().integer(reverse ? z.size() - 1 - rank : rank);
        }
    }

    private static void zscan(CommandContext ctx, byte[][] argv) {
        ScanArgs.replyPage(ctx, argv, key -> read(ctx, key), (SortedSetValue z, ScanArgs scan, List<byte[]> found) ->
                z.scan(scan.cursor, scan.count, (m, s) -> {
                    if (scan.matches(m)) {
                        found.add(m);
                        // ZSCAN returns scores as strings in both protocols, as Redis does.
                        found.add(RedisNumbers.formatDouble(s).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    }
                }));
    }

    private static void zrandmember(CommandContext ctx, byte[][] argv) {
        RespWriter out = ctx.out();
        if (argv.length == 2) {
            SortedSetValue z = read(ctx, argv[1]);
            if (z == null) {
                out.nullBulk();
            } else {
                out.bulk(z.randomMemberAt(ctx.random().nextInt(z.size())));
            }
            return;
        }
        boolean withScores = false;
        if (argv.length == 4 && Args.is(argv[3], "withscores")) {
            withScores = true;
        } else if (argv.length > 3) {
            throw CommandError.SYNTAX;
        }
        long count = Args.toLong(argv[2]);
        if (count == Long.MIN_VALUE) {
            throw SetCommands.COUNT_RANGE;
        }
        if (withScores && count < -Long.MAX_VALUE / 2) {
            throw SetCommands.OUT_OF_RANGE; // the reply would need 2*|count| entries
        }
        SortedSetValue z = read(ctx, argv[1]);
        if (z == null || count == 0) {
            out.arrayHeader(0);
            return;
        }
        int[] picks = SetCommands.randomPositions(ctx.random(), z.size(), count);
        elementsHeader(out, picks.length, withScores);
        for (int p : picks) {
            byte[] m = z.randomMemberAt(p);
            element(out, m, withScores ? z.score(m) : 0, withScores);
        }
    }

    // ---- removals ----

    private static void zrem(CommandContext ctx, byte[][] argv) {
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], SortedSetValue.class);
        long removed = 0;
        if (e != null) {
            SortedSetValue z = (SortedSetValue) e.value();
            for (int i = 2; i < argv.length && !z.isEmpty(); i++) {
                if (z.remove(argv[i])) {
                    removed++;
                }
            }
            if (removed > 0) {
                CollectionWrites.afterRemoval(ctx, e, z);
            }
        }
        ctx.out().integer(removed);
    }

    private static void zremrange(CommandContext ctx, byte[][] argv, int kind) {
        long startArg = 0;
        long endArg = 0;
        ZBounds.Score smin = null, smax = null;
        ZBounds.Lex lmin = null, lmax = null;
        switch (kind) {
            case RANK -> {
                startArg = Args.toLong(argv[2]);
                endArg = Args.toLong(argv[3]);
            }
            case SCORE -> {
                smin = ZBounds.score(argv[2]);
                smax = ZBounds.score(argv[3]);
            }
            default -> {
                lmin = ZBounds.lex(argv[2]);
                lmax = ZBounds.lex(argv[3]);
            }
        }
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], SortedSetValue.class);
        if (e == null) {
            ctx.out().integer(0);
            return;
        }
        SortedSetValue z = (SortedSetValue) e.value();
        long first;
        long last;
        if (kind == RANK) {
            long[] r = rankRange(startArg, endArg, z.size());
            first = r[0];
            last = r[0] + r[1] - 1;
        } else {
            long[] r = kind == SCORE ? ZBounds.scoreRanks(z, smin, smax) : ZBounds.lexRanks(z, lmin, lmax);
            first = r[0];
            last = r[1] - 1;
        }
        long removed = z.removeRanks(first, last);
        if (removed > 0) {
            CollectionWrites.afterRemoval(ctx, e, z);
        }
        ctx.out().integer(removed);
    }

    /** Redis's start/end index normalisation: returns {first rank, count} (count 0 when empty). */
    private static long[] rankRange(long start, long end, long llen) {
        if (start < 0) {
            start = llen + start;
        }
        if (end < 0) {
            end = llen + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= llen) {
            return new long[]{0, 0};
        }
        if (end >= llen) {
            end = llen - 1;
        }
        return new long[]{start, end - start + 1};
    }

    // ---- pops ----

    /** Removes up to count elements from the low (or high) end, visiting them in pop order. */
    private static int pop(CommandContext ctx, KeyEntry e, long count, boolean max, SortedSetValue.Visitor v) {
        SortedSetValue z = (SortedSetValue) e.value();
        int n = (int) Math.min(count, z.size());
        if (n == 0) {
            return 0;
        }
        if (max) {
            z.visit(z.size() - 1, n, true, v);
            z.removeRanks(z.size() - n, z.size() - 1);
        } else {
            z.visit(0, n, false, v);
            z.removeRanks(0, n - 1);
        }
        CollectionWrites.afterRemoval(ctx, e, z);
        return n;
    }

    private static void zpop(CommandContext ctx, byte[][] argv, boolean max) {
        if (argv.length > 3) {
            throw CommandError.SYNTAX;
        }
        long count = 1;
        if (argv.length == 3) {
            count = Args.toLong(argv[2]);
            if (count < 0) {
                throw CommandError.NOT_POSITIVE;
            }
        }
        RespWriter out = ctx.out();
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], SortedSetValue.class);
        if (e == null || count == 0) {
            out.arrayHeader(0);
            return;
        }
        // Without a count a RESP3 reply stays flat [member, score]; with one, pairs (Redis 7.0).
        boolean nested = argv.length == 3;
        int n = (int) Math.min(count, ((SortedSetValue) e.value()).size());
        out.arrayHeader(nested && out.resp3() ? n : n * 2L);
        pop(ctx, e, n, max, (m, s) -> {
            if (nested && out.resp3()) {
                out.arrayHeader(2);
            }
            out.bulk(m);
            out.doubleValue(s);
        });
    }

    private static void zmpop(CommandContext ctx, byte[][] argv) {
        MpopArgs a = MpopArgs.parse(argv, 1);
        for (int k = a.firstKey(); k < a.firstKey() + a.numkeys(); k++) {
            if (mpopFrom(ctx, argv[k], a.max(), a.count())) {
                return;
            }
        }
        ctx.out().nullArray();
    }

    /** The parsed "numkeys key... MIN|MAX [COUNT count]" of ZMPOP and BZMPOP. */
    record MpopArgs(int firstKey, int numkeys, boolean max, long count) {
        /** Parses from argv[numkeysIdx] with ZMPOP's checks, in Redis's order. */
        static MpopArgs parse(byte[][] argv, int numkeysIdx) {
            Long numkeys = RedisNumbers.parseLong(argv[numkeysIdx]);
            if (numkeys == null || numkeys < 1) {
                throw new CommandError("ERR numkeys should be greater than 0");
            }
            if (numkeys >= argv.length - numkeysIdx - 1) {
                throw CommandError.SYNTAX; // no room for MIN|MAX after the keys
            }
            int whereIdx = (int) (numkeysIdx + 1 + numkeys);
            boolean max;
            if (Args.is(argv[whereIdx], "min")) {
                max = false;
            } else if (Args.is(argv[whereIdx], "max")) {
                max = true;
            } else {
                throw CommandError.SYNTAX;
            }
            long count = NumKeys.mpopCount(argv, whereIdx + 1);
            return new MpopArgs(numkeysIdx + 1, numkeys.intValue(), max, count);
        }
    }

    /**
     * Pops up to count members from the sorted set at key, replying [key, [[member, score]...]];
     * false (no reply) when the key is missing. ZMPOP and BZMPOP.
     */
    static boolean mpopFrom(CommandContext ctx, byte[] key, boolean max, long count) {
        KeyEntry e = CollectionWrites.entry(ctx, key, SortedSetValue.class);
        if (e == null) {
            return false;
        }
        RespWriter out = ctx.out();
        out.arrayHeader(2);
        out.bulk(key);
        out.arrayHeader(Math.min(count, ((SortedSetValue) e.value()).size()));
        pop(ctx, e, count, max, (m, s) -> {
            out.arrayHeader(2);
            out.bulk(m);
            out.doubleValue(s);
        });
        return true;
    }

    /**
     * Pops the lowest (or highest) member of the sorted set at key, replying [key, member,
     * score]; false (no reply) when the key is missing. BZPOPMIN and BZPOPMAX.
     */
    static boolean popWithKey(CommandContext ctx, byte[] key, boolean max) {
        KeyEntry e = CollectionWrites.entry(ctx, key, SortedSetValue.class);
        if (e == null) {
            return false;
        }
        RespWriter out = ctx.out();
        out.arrayHeader(3);
        out.bulk(key);
        pop(ctx, e, 1, max, (m, s) -> {
            out.bulk(m);
            out.doubleValue(s);
        });
        return true;
    }

    // ---- the ZRANGE family ----

    private static void zrange(CommandContext ctx, byte[][] argv, int srcIdx, boolean store, int kind, int direction) {
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        boolean limitGiven = false;
        for (int j = srcIdx + 3; j < argv.length; j++) {
            int left = argv.length - j - 1;
            if (!store && Args.is(argv[j], "withscores")) {
                withScores = true;
            } else if (Args.is(argv[j], "limit") && left >= 2) {
                offset = Args.toLong(argv[j + 1]);
                limit = Args.toLong(argv[j + 2]);
                limitGiven = true;
                j += 2;
            } else if (direction == AUTO && Args.is(argv[j], "rev")) {
                direction = REVERSE;
            } else if (kind == AUTO && Args.is(argv[j], "bylex")) {
                kind = LEX;
            } else if (kind == AUTO && Args.is(argv[j], "byscore")) {
                kind = SCORE;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (direction == AUTO) {
            direction = FORWARD;
        }
        if (kind == AUTO) {
            kind = RANK;
        }
        if (limitGiven && kind == RANK) {
            throw new CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && kind == LEX) {
            throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        boolean reverse = direction == REVERSE;
        // Reverse score and lex ranges are written max first.
        byte[] minArg = reverse && kind != RANK ? argv[srcIdx + 2] : argv[srcIdx + 1];
        byte[] maxArg = reverse && kind != RANK ? argv[srcIdx + 1] : argv[srcIdx + 2];
        long start = 0, end = 0;
        ZBounds.Score smin = null, smax = null;
        ZBounds.Lex lmin = null, lmax = null;
        switch (kind) {
            case RANK -> {
                start = Args.toLong(minArg);
                end = Args.toLong(maxArg);
            }
            case SCORE -> {
                smin = ZBounds.score(minArg);
                smax = ZBounds.score(maxArg);
            }
            default -> {
                lmin = ZBounds.lex(minArg);
                lmax = ZBounds.lex(maxArg);
            }
        }
        SortedSetValue z = store ? ctx.db().getValueForWrite(argv[srcIdx], ctx.now(), SortedSetValue.class)
                : read(ctx, argv[srcIdx]);
        // The ranks to emit: `count` of them from `from`, walking down when reverse.
        long from = 0;
        long count = 0;
        if (z != null) {
            long size = z.size();
            if (kind == RANK) {
                long[] r = rankRange(start, end, size);
                count = r[1];
                from = reverse ? size - 1 - r[0] : r[0];
            } else {
                long[] r = kind == SCORE ? ZBounds.scoreRanks(z, smin, smax) : ZBounds.lexRanks(z, lmin, lmax);
                long avail = r[1] - r[0];
                count = offset < 0 ? 0 : Math.max(0, avail - offset);
                if (limit >= 0) {
                    count = Math.min(count, limit);
                }
                from = reverse ? r[1] - 1 - offset : r[0] + offset;
            }
        }
        if (store) {
            SortedSetValue result = new SortedSetValue();
            SetEncodingLimits limits = limits(ctx);
            if (z != null) {
                z.visit(from, count, reverse, (m, s) -> result.add(m, s, limits));
            }
            CollectionWrites.storeResult(ctx, argv[1], result);
            ctx.out().integer(result.size());
            return;
        }
        RespWriter out = ctx.out();
        elementsHeader(out, count, withScores);
        if (z != null) {
            boolean ws = withScores;
            z.visit(from, count, reverse, (m, s) -> element(out, m, s, ws));
        }
    }

    // ---- ZUNION / ZINTER / ZDIFF and their STORE and CARD forms ----

    /** A source of ZUNION & co: a sorted set, or a plain set whose members all score 1. */
    private static double scoreIn(Object source, byte[] member) {
        if (source instanceof SortedSetValue z) {
            return z.score(member);
        }
        return ((SetValue) source).contains(member) ? 1.0 : Double.NaN;
    }

    private static int sizeOf(Object source) {
        return source instanceof SortedSetValue z ? z.size() : ((SetValue) source).size();
    }

    private static void forEachIn(Object source, SortedSetValue.Visitor v) {
        if (source instanceof SortedSetValue z) {
            z.forEach(v);
        } else {
            ((SetValue) source).forEach(m -> v.visit(m, 1.0));
        }
    }

    private static double aggregate(int how, double acc, double v) {
        return switch (how) {
            case 1 -> Math.min(acc, v);
            case 2 -> Math.max(acc, v);
            default -> {
                double sum = acc + v;
                yield Double.isNaN(sum) ? 0 : sum; // inf + -inf: Redis makes it 0
            }
        };
    }

    private static void setOperation(CommandContext ctx, byte[][] argv, byte[] dest, int numkeysIdx, int op,
                                     boolean cardOnly) {
        long setnum = Args.toLong(argv[numkeysIdx]);
        if (setnum < 1) {
            throw new CommandError("ERR at least 1 input key is needed for '" + ctx.spec().fullName() + "' command");
        }
        if (setnum > argv.length - numkeysIdx - 1) {
            throw CommandError.SYNTAX;
        }
        int n = (int) setnum;
        Object[] sources = new Object[n];
        for (int i = 0; i < n; i++) {
            byte[] key = argv[numkeysIdx + 1 + i];
            KeyEntry e = dest != null ? ctx.db().lookupWrite(key, ctx.now()) : ctx.db().lookupRead(key, ctx.now());
            if (e != null) {
                if (!(e.value() instanceof SortedSetValue) && !(e.value() instanceof SetValue)) {
                    throw WrongTypeException.INSTANCE;
                }
                sources[i] = e.value();
            }
        }
        double[] weights = new double[n];
        Arrays.fill(weights, 1.0);
        int how = 0;
        boolean withScores = false;
        long limit = 0;
        int j = numkeysIdx + 1 + n;
        while (j < argv.length) {
            int remaining = argv.length - j;
            if (op != DIFF && !cardOnly && remaining >= n + 1 && Args.is(argv[j], "weights")) {
                j++;
                for (int i = 0; i < n; i++, j++) {
                    Double w = RedisNumbers.parseDouble(argv[j]);
                    if (w == null) {
                        throw new CommandError("ERR weight value is not a float");
                    }
                    weights[i] = w;
                }
            } else if (op != DIFF && !cardOnly && remaining >= 2 && Args.is(argv[j], "aggregate")) {
                byte[] a = argv[j + 1];
                if (Args.is(a, "sum")) {
                    how = 0;
                } else if (Args.is(a, "min")) {
                    how = 1;
                } else if (Args.is(a, "max")) {
                    how = 2;
                } else {
                    throw CommandError.SYNTAX;
                }
                j += 2;
            } else if (dest == null && !cardOnly && Args.is(argv[j], "withscores")) {
                withScores = true;
                j++;
            } else if (cardOnly && remaining >= 2 && Args.is(argv[j], "limit")) {
                Long l = RedisNumbers.parseLong(argv[j + 1]);
                if (l == null || l < 0) {
                    throw SetCommands.LIMIT_NEGATIVE;
                }
                limit = l;
                j += 2;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (cardOnly) {
            ctx.out().integer(intersect(sources, weights, how, null, limit));
            return;
        }
        SetEncodingLimits limits = limits(ctx);
        SortedSetValue result = new SortedSetValue();
        switch (op) {
            case UNION -> {
                Map<ByteBuffer, double[]> acc = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    if (sources[i] == null) {
                        continue;
                    }
                    double w = weights[i];
                    int h = how;
                    forEachIn(sources[i], (m, s) -> {
                        double v = weighted(w, s);
                        double[] cur = acc.get(ByteBuffer.wrap(m));
                        if (cur == null) {
                            acc.put(ByteBuffer.wrap(m), new double[]{v});
                        } else {
                            cur[0] = aggregate(h, cur[0], v);
                        }
                    });
                }
                for (Map.Entry<ByteBuffer, double[]> en : acc.entrySet()) {
                    result.add(en.getKey().array(), en.getValue()[0], limits);
                }
            }
            case INTER -> intersect(sources, weights, how, (m, s) -> result.add(m, s, limits), 0);
            default -> {
                if (sources[0] != null) {
                    forEachIn(sources[0], (m, s) -> {
                        for (int i = 1; i < n; i++) {
                            if (sources[i] != null && !Double.isNaN(scoreIn(sources[i], m))) {
                                return;
                            }
                        }
                        result.add(m, s, limits);
                    });
                }
            }
        }
        if (dest != null) {
            CollectionWrites.storeResult(ctx, dest, result);
            ctx.out().integer(result.size());
        } else {
            replyAll(ctx.out(), result, withScores);
        }
    }

    private static double weighted(double w, double s) {
        double v = w * s;
        return Double.isNaN(v) ? 0 : v; // 0 * inf: Redis makes it 0
    }

    /**
     * Walks the smallest source, aggregating each member found in every source; passes the
     * results to sink (if not null) and stops after limit when limit > 0. Returns the count.
     */
    private static long intersect(Object[] sources, double[] weights, int how, SortedSetValue.Visitor sink, long limit) {
        Integer[] order = new Integer[sources.length];
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] == null) {
                return 0;
            }
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(sizeOf(sources[a]), sizeOf(sources[b])));
        long[] found = {0};
        Object smallest = sources[order[0]];
        try {
            forEachIn(smallest, (m, s) -> {
                double acc = weighted(weights[order[0]], s);
                for (int k = 1; k < order.length; k++) {
                    double other = scoreIn(sources[order[k]], m);
                    if (Double.isNaN(other)) {
                        return;
                    }
                    acc = aggregate(how, acc, weighted(weights[order[k]], other));
                }
                found[0]++;
                if (sink != null) {
                    sink.visit(m, acc);
                }
                if (limit > 0 && found[0] >= limit) {
                    throw LimitReached.INSTANCE;
                }
            });
        } catch (LimitReached stop) {
            // ZINTERCARD's LIMIT reached: the count is all it wanted.
        }
        return found[0];
    }

    /** Ends a visit early (the visitors have no other way to stop). */
    private static final class LimitReached extends RuntimeException {
        static final LimitReached INSTANCE = new LimitReached();

        private LimitReached() {
            super(null, null, false, false);
        }
    }
}
