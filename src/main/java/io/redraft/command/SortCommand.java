package io.redraft.command;

import io.redraft.resp.RedisNumbers;
import io.redraft.resp.RespWriter;
import io.redraft.store.Database;
import io.redraft.store.EncodingLimits;
import io.redraft.store.KeyEntry;
import io.redraft.store.ListValue;
import io.redraft.store.SetValue;
import io.redraft.store.SortedSetValue;
import io.redraft.store.WrongTypeException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * SORT / SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA]
 * [STORE destination], following Redis 7.0's sort.c.
 *
 * <p>Ordering: numeric sorts compare scores and break ties by the elements' bytes, as Redis does,
 * so the result is deterministic. ALPHA compares unsigned bytes (Redis uses strcoll unless STORE
 * is given; under the C locale that is the same order). ALPHA with a BY pattern leaves equal
 * weights in the order the source gave them (a stable sort), which is what glibc's merge-sort
 * qsort yields in Redis too.
 *
 * <p>A BY pattern without '*' means "do not sort": lists and sorted sets keep their own order
 * (DESC/LIMIT then walk that order, as in Redis), while a set being STOREd is sorted ALPHA
 * anyway so every node and replica stores the same list.
 */
final class SortCommand {
    static final CommandError NOT_DOUBLE =
            new CommandError("ERR One or more scores can't be converted into double");
    /** What STORE writes for a GET that finds nothing (the reply would have a nil). */
    private static final byte[] EMPTY = new byte[0];

    private SortCommand() {
    }

    /** The parsed options; the last BY / STORE wins, as in Redis. */
    private static final class Options {
        boolean desc;
        boolean alpha;
        boolean dontSort;
        long limitStart;
        long limitCount = -1;
        SortPattern by;
        byte[] store;
        final List<SortPattern> gets = new ArrayList<>(2);
    }

    /** One element to sort with its weight: a score (numeric) or the BY value (ALPHA BY). */
    private static final class Item {
        final byte[] element;
        double score;
        byte[] weight;

        Item(byte[] element) {
            this.element = element;
        }
    }

    /** Key positions: the sorted key and, when present, the last STORE destination (sortGetKeys). */
    static int[] keys(byte[][] argv) {
        if (argv.length < 2) {
            return new int[0];
        }
        int store = -1;
        for (int i = 2; i < argv.length; i++) {
            if (Args.is(argv[i], "limit")) {
                i += 2;
            } else if (Args.is(argv[i], "get") || Args.is(argv[i], "by")) {
                i += 1;
            } else if (Args.is(argv[i], "store") && i + 1 < argv.length) {
                store = i + 1;
            }
        }
        return store < 0 ? new int[] {1} : new int[] {1, store};
    }

    static void execute(CommandContext ctx, byte[][] argv, boolean readOnly) {
        Options o = parse(argv, readOnly);
        Database db = ctx.db();
        long now = ctx.now();
        KeyEntry entry = db.lookupRead(argv[1], now);
        Object source = entry == null ? null : entry.value();
        if (source != null && !(source instanceof ListValue || source instanceof SetValue
                || source instanceof SortedSetValue)) {
            throw WrongTypeException.INSTANCE;
        }
        boolean dontSort = o.dontSort;
        boolean alpha = o.alpha;
        SortPattern by = o.by;
        if (dontSort && source instanceof SetValue && o.store != null) {
            // A set's own order is an accident of its layout; a stored result must not depend on it.
            dontSort = false;
            alpha = true;
            by = null;
        }

        long size = sizeOf(source);
        long start = Math.min(Math.max(o.limitStart, 0), size);
        long count = Math.min(Math.max(o.limitCount, -1), size);
        long end = count < 0 ? size - 1 : start + count - 1;
        if (start >= size) {
            start = size - 1;
            end = size - 2;
        }
        if (end >= size) {
            end = size - 1;
        }

        List<Item> items;
        if (dontSort && (source instanceof ListValue || source instanceof SortedSetValue)) {
            // Native order, walked from the tail for DESC; only the LIMIT window is loaded.
            items = loadWindow(source, start, end, o.desc);
            end -= start;
            start = 0;
        } else {
            items = loadAll(source);
            if (!dontSort) {
                weigh(db, now, items, by, alpha);
                items.sort(comparator(alpha, by != null, o.desc));
            }
        }

        int from = (int) start;
        int to = (int) end; // inclusive; to < from means an empty result
        if (o.store != null) {
            store(ctx, o, items, from, to);
        } else {
            reply(ctx.out(), db, now, o, items, from, to);
        }
    }

    private static Options parse(byte[][] argv, boolean readOnly) {
        Options o = new Options();
        for (int j = 2; j < argv.length; j++) {
            int left = argv.length - j - 1;
            byte[] a = argv[j];
            if (Args.is(a, "asc")) {
                o.desc = false;
            } else if (Args.is(a, "desc")) {
                o.desc = true;
            } else if (Args.is(a, "alpha")) {
                o.alpha = true;
            } else if (Args.is(a, "limit") && left >= 2) {
                o.limitStart = Args.toLong(argv[j + 1]);
                o.limitCount = Args.toLong(argv[j + 2]);
                j += 2;
            } else if (!readOnly && Args.is(a, "store") && left >= 1) {
                o.store = argv[++j];
            } else if (Args.is(a, "by") && left >= 1) {
                o.by = new SortPattern(argv[++j]);
                // A constant pattern weighs every element the same: nothing to sort. Like Redis,
                // a later BY with '*' does not undo this. ("#" has no '*' either.)
                if (o.by.isConstant()) {
                    o.dontSort = true;
                }
            } else if (Args.is(a, "get") && left >= 1) {
                o.gets.add(new SortPattern(argv[++j]));
            } else {
                throw CommandError.SYNTAX;
            }
        }
        return o;
    }

    private static long sizeOf(Object source) {
        if (source instanceof ListValue l) {
            return l.size();
        } else if (source instanceof SetValue s) {
            return s.size();
        } else if (source instanceof SortedSetValue z) {
            return z.size();
        }
        return 0;
    }

    /** Elements at positions start..end of a list or sorted set, counted from the tail if desc. */
    private static List<Item> loadWindow(Object source, long start, long end, boolean desc) {
        List<Item> items = new ArrayList<>((int) Math.max(0, end - start + 1));
        if (end < start) {
            return items;
        }
        long count = end - start + 1;
        if (source instanceof ListValue l) {
            long size = l.size();
            if (desc) {
                l.forRange(size - 1 - end, size - 1 - start, e -> items.add(new Item(e)));
                Collections.reverse(items);
            } else {
                l.forRange(start, end, e -> items.add(new Item(e)));
            }
        } else {
            SortedSetValue z = (SortedSetValue) source;
            long from = desc ? z.size() - 1 - start : start;
            z.visit(from, count, desc, (m, s) -> items.add(new Item(m)));
        }
        return items;
    }

    private static List<Item> loadAll(Object source) {
        List<Item> items = new ArrayList<>((int) sizeOf(source));
        if (source instanceof ListValue l) {
            l.forRange(0, l.size() - 1, e -> items.add(new Item(e)));
        } else if (source instanceof SetValue s) {
            s.forEach(e -> items.add(new Item(e)));
        } else if (source instanceof SortedSetValue z) {
            z.forEach((m, s) -> items.add(new Item(m)));
        }
        return items;
    }

    /**
     * Fills in the weights. A missing BY key leaves score 0 (numeric) or no weight (ALPHA, sorts
     * first). Every element is weighed before the conversion error is raised, so the error does
     * not depend on the order of the source.
     */
    private static void weigh(Database db, long now, List<Item> items, SortPattern by, boolean alpha) {
        boolean badScore = false;
        for (Item it : items) {
            byte[] value = by == null ? it.element : by.resolve(db, now, it.element);
            if (value == null) {
                continue;
            }
            if (alpha) {
                if (by != null) {
                    it.weight = value;
                }
            } else {
                double d = parseScore(value);
                if (Double.isNaN(d)) {
                    badScore = true;
                } else {
                    it.score = d;
                }
            }
        }
        if (badScore) {
            throw NOT_DOUBLE;
        }
    }

    private static Comparator<Item> comparator(boolean alpha, boolean byPattern, boolean desc) {
        Comparator<Item> c;
        if (!alpha) {
            c = (a, b) -> {
                // Plain < and > (not Double.compare) so 0.0 and -0.0 tie, as in C.
                if (a.score > b.score) {
                    return 1;
                } else if (a.score < b.score) {
                    return -1;
                }
                return Arrays.compareUnsigned(a.element, b.element);
            };
        } else if (byPattern) {
            c = (a, b) -> {
                if (a.weight == null || b.weight == null) {
                    return a.weight == b.weight ? 0 : a.weight == null ? -1 : 1;
                }
                return Arrays.compareUnsigned(a.weight, b.weight);
            };
        } else {
            c = (a, b) -> Arrays.compareUnsigned(a.element, b.element);
        }
        return desc ? c.reversed() : c;
    }

    private static void reply(RespWriter out, Database db, long now, Options o, List<Item> items, int from, int to) {
        int n = Math.max(0, to - from + 1);
        List<SortPattern> gets = o.gets;
        out.arrayHeader(gets.isEmpty() ? n : (long) n * gets.size());
        for (int j = from; j <= to; j++) {
            byte[] element = items.get(j).element;
            if (gets.isEmpty()) {
                out.bulk(element);
            }
            for (SortPattern pattern : gets) {
                out.bulk(pattern.resolve(db, now, element)); // null -> nil
            }
        }
    }

    /** STORE: the result (GET values, missing ones as "") becomes a list; empty deletes dest. */
    private static void store(CommandContext ctx, Options o, List<Item> items, int from, int to) {
        Database db = ctx.db();
        long now = ctx.now();
        EncodingLimits limits = EncodingLimits.of(ctx.server().config());
        ListValue result = new ListValue();
        for (int j = from; j <= to; j++) {
            byte[] element = items.get(j).element;
            if (o.gets.isEmpty()) {
                result.push(element, false, limits);
            }
            for (SortPattern pattern : o.gets) {
                byte[] v = pattern.resolve(db, now, element);
                result.push(v == null ? EMPTY : v, false, limits);
            }
        }
        CollectionWrites.storeResult(ctx, o.store, result);
        ctx.out().integer(result.size());
    }

    /**
     * A weight as C's strtod reads it for SORT: the whole value must be a number (leading
     * whitespace allowed, "" is 0, hex floats too), not NaN and not out of double range. NaN means
     * "not a score".
     */
    static double parseScore(byte[] b) {
        if (b.length == 0) {
            return 0;
        }
        int i = 0;
        while (i < b.length && isSpace(b[i])) {
            i++;
        }
        if (i == b.length) {
            return Double.NaN;
        }
        byte[] text = i == 0 ? b : Arrays.copyOfRange(b, i, b.length);
        Double d = isHex(text) ? parseHex(text) : RedisNumbers.parseDouble(text);
        if (d == null) {
            return Double.NaN;
        }
        if (Double.isInfinite(d) && !spellsInfinity(text)) {
            return Double.NaN; // overflow: strtod reports ERANGE
        }
        if (d == 0 && hasNonZeroMantissa(text)) {
            return Double.NaN; // underflow: strtod reports ERANGE
        }
        return d;
    }

    /** strtod also reads C99 hex floats ("0x1A", "-0x1.8p3"); Redis 7.0 SORT accepts them. */
    private static boolean isHex(byte[] t) {
        int i = t.length > 0 && (t[0] == '-' || t[0] == '+') ? 1 : 0;
        return t.length > i + 1 && t[i] == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X');
    }

    /** A whole hex float, or null. Java needs the binary exponent, so "p0" is added when absent. */
    private static Double parseHex(byte[] t) {
        int i = (t[0] == '-' || t[0] == '+') ? 3 : 2;
        int digits = 0;
        boolean dot = false;
        for (; i < t.length && t[i] != 'p' && t[i] != 'P'; i++) {
            if (t[i] == '.' && !dot) {
                dot = true;
            } else if (Character.digit(t[i], 16) >= 0) {
                digits++;
            } else {
                return null;
            }
        }
        boolean hasExponent = i < t.length;
        if (digits == 0 || (hasExponent && i + 1 == t.length)) {
            return null;
        }
        for (int k = hasExponent ? i + 1 : t.length; k < t.length; k++) {
            boolean sign = k == i + 1 && (t[k] == '-' || t[k] == '+');
            if (!sign && (t[k] < '0' || t[k] > '9')) {
                return null;
            }
        }
        String s = new String(t, java.nio.charset.StandardCharsets.US_ASCII);
        try {
            return Double.parseDouble(hasExponent ? s : s + "p0");
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static boolean spellsInfinity(byte[] text) {
        for (byte c : text) {
            if (c == 'i' || c == 'I') {
                return true;
            }
        }
        return false;
    }

    private static boolean hasNonZeroMantissa(byte[] text) {
        for (byte c : text) {
            if (c == 'e' || c == 'E') {
                return false;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }
}
