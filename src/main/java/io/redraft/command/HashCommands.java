package io.redraft.command;

import io.redraft.resp.LongDouble;
import io.redraft.resp.RedisNumbers;
import io.redraft.resp.RespWriter;
import io.redraft.store.EncodingLimits;
import io.redraft.store.GlobMatcher;
import io.redraft.store.HashValue;
import io.redraft.store.KeyEntry;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/** Hash commands (Redis 7.0 t_hash.c semantics). */
final class HashCommands implements CommandFamily {
    private static final CommandError HASH_NOT_INTEGER = new CommandError("ERR hash value is not an integer");
    private static final CommandError HASH_NOT_FLOAT = new CommandError("ERR hash value is not a float");
    private static final CommandError NAN_OR_INFINITY = new CommandError("ERR increment would produce NaN or Infinity");
    private static final CommandError INCR_NAN_OR_INFINITY = new CommandError("ERR value is NaN or Infinity");
    private static final CommandError OUT_OF_RANGE = new CommandError("ERR value is out of range");

    @Override
    public void register(CommandTable t) {
        t.add(spec("hdel", -3, "2.0.0", "Deletes one or more fields and their values from a hash.", "O(N)", WRITE, FAST)
                .handler(HashCommands::hdel));
        t.add(spec("hexists", 3, "2.0.0", "Determines whether a field exists in a hash.", "O(1)", READONLY, FAST)
                .handler(HashCommands::hexists));
        t.add(spec("hget", 3, "2.0.0", "Returns the value of a field in a hash.", "O(1)", READONLY, FAST)
                .handler(HashCommands::hget));
        t.add(spec("hgetall", 2, "2.0.0", "Returns all fields and values in a hash.", "O(N)", READONLY)
                .handler((ctx, argv) -> getAll(ctx, argv, true, true)));
        t.add(spec("hincrby", 4, "2.0.0", "Increments the integer value of a field in a hash by a number.", "O(1)",
                WRITE, DENYOOM, FAST).handler(HashCommands::hincrby));
        t.add(spec("hincrbyfloat", 4, "2.6.0", "Increments the floating point value of a field by a number.", "O(1)",
                WRITE, DENYOOM, FAST).handler(HashCommands::hincrbyfloat));
        t.add(spec("hkeys", 2, "2.0.0", "Returns all fields in a hash.", "O(N)", READONLY)
                .handler((ctx, argv) -> getAll(ctx, argv, true, false)));
        t.add(spec("hlen", 2, "2.0.0", "Returns the number of fields in a hash.", "O(1)", READONLY, FAST)
                .handler(HashCommands::hlen));
        t.add(spec("hmget", -3, "2.0.0", "Returns the values of all fields in a hash.", "O(N)", READONLY, FAST)
                .handler(HashCommands::hmget));
        t.add(spec("hmset", -4, "2.0.0", "Sets the values of multiple fields.", "O(N)", WRITE, DENYOOM, FAST)
                .handler(HashCommands::hset));
        t.add(spec("hrandfield", -2, "6.2.0", "Returns one or more random fields from a hash.", "O(N)", READONLY)
                .handler(HashCommands::hrandfield));
        t.add(spec("hscan", -3, "2.8.0", "Iterates over fields and values of a hash.", "O(1) per call", READONLY)
                .handler(HashCommands::hscan));
        t.add(spec("hset", -4, "2.0.0", "Creates or modifies the value of a field in a hash.", "O(N)", WRITE, DENYOOM, FAST)
                .handler(HashCommands::hset));
        t.add(spec("hsetnx", 4, "2.0.0", "Sets the value of a field in a hash only when the field doesn't exist.",
                "O(1)", WRITE, DENYOOM, FAST).handler(HashCommands::hsetnx));
        t.add(spec("hstrlen", 3, "3.2.0", "Returns the length of the value of a field.", "O(1)", READONLY, FAST)
                .handler(HashCommands::hstrlen));
        t.add(spec("hvals", 2, "2.0.0", "Returns all values in a hash.", "O(N)", READONLY)
                .handler((ctx, argv) -> getAll(ctx, argv, false, true)));
    }

    private static CommandSpec.Builder spec(String name, int arity, String since, String summary, String complexity,
                                            CommandFlag... flags) {
        return command(name, arity).flags(flags).keys(1, 1, 1).group("hash").since(since).summary(summary)
                .complexity(complexity).acl("hash");
    }

    private static HashValue read(CommandContext ctx, byte[] key) {
        return ctx.db().getValue(key, ctx.now(), HashValue.class);
    }

    static EncodingLimits limits(CommandContext ctx) {
        return EncodingLimits.of(ctx.server().config());
    }

    // ---- writes ----------------------------------------------------------------------------

    /** HSET (replies the number of new fields) and HMSET (replies OK). */
    private static void hset(CommandContext ctx, byte[][] argv) {
        if (argv.length % 2 == 1) {
            throw new CommandError("ERR wrong number of arguments for '" + ctx.spec().fullName() + "' command");
        }
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], HashValue.class);
        HashValue h = e == null ? new HashValue() : (HashValue) e.value();
        EncodingLimits limits = limits(ctx);
        long created = 0;
        for (int i = 2; i < argv.length; i += 2) {
            if (h.put(argv[i], argv[i + 1], limits)) {
                created++;
            }
        }
        CollectionWrites.commit(ctx, argv[1], e, h);
        if (Args.is(argv[0], "hmset")) {
            ctx.out().ok();
        } else {
            ctx.out().integer(created);
        }
    }

    private static void hsetnx(CommandContext ctx, byte[][] argv) {
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], HashValue.class);
        HashValue h = e == null ? new HashValue() : (HashValue) e.value();
        if (h.contains(argv[2])) {
            ctx.out().integer(0);
            return;
        }
        h.put(argv[2], argv[3], limits(ctx));
        CollectionWrites.commit(ctx, argv[1], e, h);
        ctx.out().integer(1);
    }

    private static void hdel(CommandContext ctx, byte[][] argv) {
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], HashValue.class);
        if (e == null) {
            ctx.out().integer(0);
            return;
        }
        HashValue h = (HashValue) e.value();
        long deleted = 0;
        for (int i = 2; i < argv.length && !h.isEmpty(); i++) {
            if (h.remove(argv[i])) {
                deleted++;
            }
        }
        if (deleted > 0) {
            CollectionWrites.commit(ctx, argv[1], e, h);
        }
        ctx.out().integer(deleted);
    }

    private static void hincrby(CommandContext ctx, byte[][] argv) {
        long incr = Args.toLong(argv[3]);
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], HashValue.class);
        HashValue h = e == null ? new HashValue() : (HashValue) e.value();
        long value = 0;
        byte[] current = h.get(argv[2]);
        if (current != null) {
            Long v = RedisNumbers.parseLong(current);
            if (v == null) {
                throw HASH_NOT_INTEGER;
            }
            value = v;
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            throw CommandError.OVERFLOW;
        }
        value += incr;
        h.put(argv[2], Long.toString(value).getBytes(StandardCharsets.US_ASCII), limits(ctx));
        CollectionWrites.commit(ctx, argv[1], e, h);
        ctx.out().integer(value);
    }

    /** HINCRBYFLOAT in Redis's long double arithmetic (see {@link LongDouble}). */
    private static void hincrbyfloat(CommandContext ctx, byte[][] argv) {
        if (LongDouble.isInfinity(argv[3])) {
            throw INCR_NAN_OR_INFINITY;
        }
        BigDecimal incr = LongDouble.parse(argv[3]);
        if (incr == null) {
            throw CommandError.NOT_FLOAT;
        }
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], HashValue.class);
        HashValue h = e == null ? new HashValue() : (HashValue) e.value();
        BigDecimal value = BigDecimal.ZERO;
        byte[] current = h.get(argv[2]);
        if (current != null) {
            if (LongDouble.isInfinity(current)) {
                throw NAN_OR_INFINITY; // inf + finite stays infinite
            }
            value = LongDouble.parse(current);
            if (value == null) {
                throw HASH_NOT_FLOAT;
            }
        }
        byte[] text = LongDouble.format(LongDouble.add(value, incr)).getBytes(StandardCharsets.US_ASCII);
        h.put(argv[2], text, limits(ctx));
        CollectionWrites.commit(ctx, argv[1], e, h);
        ctx.out().bulk(text);
    }

    // ---- reads -----------------------------------------------------------------------------

    private static void hget(CommandContext ctx, byte[][] argv) {
        HashValue h = read(ctx, argv[1]);
        ctx.out().bulk(h == null ? null : h.get(argv[2]));
    }

    private static void hexists(CommandContext ctx, byte[][] argv) {
        HashValue h = read(ctx, argv[1]);
        ctx.out().integer(h != null && h.contains(argv[2]) ? 1 : 0);
    }

    private static void hlen(CommandContext ctx, byte[][] argv) {
        HashValue h = read(ctx, argv[1]);
        ctx.out().integer(h == null ? 0 : h.size());
    }

    private static void hstrlen(CommandContext ctx, byte[][] argv) {
        HashValue h = read(ctx, argv[1]);
        byte[] v = h == null ? null : h.get(argv[2]);
        ctx.out().integer(v == null ? 0 : v.length);
    }

    private static void hmget(CommandContext ctx, byte[][] argv) {
        HashValue h = read(ctx, argv[1]);
        RespWriter out = ctx.out();
        out.arrayHeader(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            out.bulk(h == null ? null : h.get(argv[i]));
        }
    }

    /** HGETALL (a map), HKEYS and HVALS (arrays). */
    private static void getAll(CommandContext ctx, byte[][] argv, boolean fields, boolean values) {
        HashValue h = read(ctx, argv[1]);
        RespWriter out = ctx.out();
        int n = h == null ? 0 : h.size();
        if (fields && values) {
            out.mapHeader(n);
        } else {
            out.arrayHeader(n);
        }
        if (h != null) {
            h.forEach((f, v) -> {
                if (fields) {
                    out.bulk(f);
                }
                if (values) {
                    out.bulk(v);
                }
            });
        }
    }

    /**
     * HRANDFIELD key [count [WITHVALUES]]. A positive count returns distinct fields (the whole
     * hash when count >= size), a negative one may repeat fields. In RESP3 WITHVALUES pairs are
     * two-element arrays, in RESP2 a flat array, as in Redis 7.0.
     */
    private static void hrandfield(CommandContext ctx, byte[][] argv) {
        RespWriter out = ctx.out();
        if (argv.length == 2) {
            HashValue h = read(ctx, argv[1]);
            if (h == null) {
                out.nullBulk();
                return;
            }
            byte[][] pair = new byte[2][];
            h.randomPair(ctx.random(), pair);
            out.bulk(pair[0]);
            return;
        }
        long l = Args.toLong(argv[2]);
        if (l == Long.MIN_VALUE) {
            throw new CommandError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        if (argv.length > 4 || (argv.length == 4 && !Args.is(argv[3], "withvalues"))) {
            throw CommandError.SYNTAX;
        }
        boolean withValues = argv.length == 4;
        if (withValues && (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2)) {
            throw OUT_OF_RANGE; // the reply length (2 * count) must not overflow
        }
        HashValue h = read(ctx, argv[1]);
        if (h == null || l == 0) {
            out.arrayHeader(0);
            return;
        }
        boolean nested = withValues && out.resp3();
        SplittableRandom random = ctx.random();
        if (l < 0) {
            long count = -l;
            out.arrayHeader(withValues && !nested ? count * 2 : count);
            byte[][] pair = new byte[2][];
            for (long i = 0; i < count; i++) {
                h.randomPair(random, pair);
                writePair(out, pair[0], pair[1], withValues, nested);
            }
            return;
        }
        int size = h.size();
        long count = Math.min(l, size);
        out.arrayHeader(withValues && !nested ? 2 * count : count);
        if (count == size) {
            h.forEach((f, v) -> writePair(out, f, v, withValues, nested));
        } else {
            h.randomDistinct(random, (int) count, (f, v) -> writePair(out, f, v, withValues, nested));
        }
    }

    private static void writePair(RespWriter out, byte[] field, byte[] value, boolean withValues, boolean nested) {
        if (nested) {
            out.arrayHeader(2);
        }
        out.bulk(field);
        if (withValues) {
            out.bulk(value);
        }
    }

    /** HSCAN key cursor [MATCH pattern] [COUNT count]. */
    private static void hscan(CommandContext ctx, byte[][] argv) {
        ScanArgs.replyPage(ctx, argv, key -> read(ctx, key), (HashValue h, ScanArgs scan, List<byte[]> found) ->
                h.scan(scan.cursor, scan.count, (f, v) -> {
                    if (scan.matches(f)) {
                        found.add(f);
                        found.add(v);
                    }
                }));
    }
}
