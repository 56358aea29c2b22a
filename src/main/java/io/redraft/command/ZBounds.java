package io.redraft.command;

import io.redraft.resp.RedisNumbers;
import io.redraft.store.SortedSetValue;

import java.util.Arrays;

/**
 * Score and lex ranges of the sorted-set commands, parsed with Redis's syntax and errors and
 * turned into rank intervals [first, end) of a sorted set.
 */
final class ZBounds {
    static final CommandError SCORE_ERROR = new CommandError("ERR min or max is not a float");
    static final CommandError LEX_ERROR = new CommandError("ERR min or max not valid string range item");

    private ZBounds() {
    }

    /** A score bound: "(1.5" is exclusive, "-inf" / "+inf" accepted. */
    record Score(double value, boolean exclusive) {
    }

    static Score score(byte[] arg) {
        boolean ex = arg.length > 0 && arg[0] == '(';
        Double v = RedisNumbers.parseDouble(ex ? Arrays.copyOfRange(arg, 1, arg.length) : arg);
        if (v == null) {
            throw SCORE_ERROR;
        }
        return new Score(v, ex);
    }

    /** A lex bound: "-" (before all), "+" (after all), "[a" inclusive, "(a" exclusive. */
    record Lex(byte[] value, boolean exclusive, int infinity) {
        static final Lex MIN = new Lex(null, false, -1);
        static final Lex MAX = new Lex(null, false, 1);
    }

    static Lex lex(byte[] arg) {
        if (arg.length == 1 && arg[0] == '-') {
            return Lex.MIN;
        }
        if (arg.length == 1 && arg[0] == '+') {
            return Lex.MAX;
        }
        if (arg.length > 0 && (arg[0] == '(' || arg[0] == '[')) {
            return new Lex(Arrays.copyOfRange(arg, 1, arg.length), arg[0] == '(', 0);
        }
        throw LEX_ERROR;
    }

    /** Ranks [result[0], result[1]) of the elements with min <= score <= max (bounds as given). */
    static long[] scoreRanks(SortedSetValue z, Score min, Score max) {
        long first = z.countBefore((s, m) -> min.exclusive ? s <= min.value : s < min.value);
        long end = z.countBefore((s, m) -> max.exclusive ? s < max.value : s <= max.value);
        return new long[]{first, Math.max(first, end)};
    }

    /** Ranks [result[0], result[1]) of the members between min and max (all scores assumed equal). */
    static long[] lexRanks(SortedSetValue z, Lex min, Lex max) {
        long first = z.countBefore((s, m) -> min.infinity != 0 ? min.infinity > 0
                : cmp(m, min.value) < (min.exclusive ? 1 : 0));
        long end = z.countBefore((s, m) -> max.infinity != 0 ? max.infinity > 0
                : cmp(m, max.value) < (max.exclusive ? 0 : 1));
        return new long[]{first, Math.max(first, end)};
    }

    private static int cmp(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }
}
