package io.redraft.command;

import io.redraft.store.KeyEntry;

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: the longest common subsequence of
 * two strings, by the classic dynamic-programming table, then a walk back from its far corner
 * that yields the subsequence and the matching ranges (last ones first, as Redis reports them).
 */
final class LcsCommand {
    private static final CommandError NOT_STRINGS =
            new CommandError("ERR The specified keys must contain string values");
    private static final CommandError LEN_AND_IDX =
            new CommandError("ERR If you want both the length and indexes, please just use IDX.");
    private static final CommandError TABLE_TOO_BIG =
            new CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    private static final CommandError TABLE_ALLOC =
            new CommandError("ERR Insufficient memory, failed allocating transient memory for LCS");
    private static final byte[] EMPTY = new byte[0];

    private LcsCommand() {
    }

    static void execute(CommandContext ctx, byte[][] argv) {
        byte[] a = string(ctx, argv[1]);
        byte[] b = string(ctx, argv[2]);
        boolean getLen = false;
        boolean getIdx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < argv.length; j++) {
            if (Args.is(argv[j], "idx")) {
                getIdx = true;
            } else if (Args.is(argv[j], "len")) {
                getLen = true;
            } else if (Args.is(argv[j], "withmatchlen")) {
                withMatchLen = true;
            } else if (Args.is(argv[j], "minmatchlen") && j + 1 < argv.length) {
                minMatchLen = Math.max(0, Args.toLong(argv[++j]));
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (getLen && getIdx) {
            throw LEN_AND_IDX;
        }

        int[] table = table(ctx, a, b);
        int width = b.length + 1;
        int lcsLen = table[a.length * width + b.length];
        if (getLen) {
            ctx.out().integer(lcsLen);
            return;
        }
        if (!getIdx) {
            ctx.out().bulk(subsequence(a, b, table, lcsLen));
            return;
        }
        writeMatches(ctx, a, b, table, minMatchLen, withMatchLen);
        ctx.out().bulk("len");
        ctx.out().integer(lcsLen);
    }

    /** The string at key, empty if absent; a non-string is an error with LCS's own text. */
    private static byte[] string(CommandContext ctx, byte[] key) {
        KeyEntry e = ctx.db().lookupRead(key, ctx.now());
        if (e == null) {
            return EMPTY;
        }
        if (!(e.value() instanceof byte[] s)) {
            throw NOT_STRINGS;
        }
        return s;
    }

    /** table[i * (|b|+1) + j] = length of the LCS of a[0..i) and b[0..j). */
    private static int[] table(CommandContext ctx, byte[] a, byte[] b) {
        long cells = (long) (a.length + 1) * (b.length + 1);
        if (cells * Integer.BYTES > StringLimits.maxLength(ctx)) {
            throw TABLE_TOO_BIG;
        }
        if (cells > Integer.MAX_VALUE - 16) {
            throw TABLE_ALLOC;
        }
        int width = b.length + 1;
        int[] t = new int[(int) cells];
        for (int i = 1; i <= a.length; i++) {
            int row = i * width;
            int prev = row - width;
            for (int j = 1; j <= b.length; j++) {
                t[row + j] = a[i - 1] == b[j - 1]
                        ? t[prev + j - 1] + 1
                        : Math.max(t[prev + j], t[row + j - 1]);
            }
        }
        return t;
    }

    private static byte[] subsequence(byte[] a, byte[] b, int[] t, int len) {
        byte[] out = new byte[len];
        int width = b.length + 1;
        int i = a.length;
        int j = b.length;
        int k = len;
        while (i > 0 && j > 0) {
            if (a[i - 1] == b[j - 1]) {
                out[--k] = a[i - 1];
                i--;
                j--;
            } else if (t[(i - 1) * width + j] > t[i * width + j - 1]) {
                i--;
            } else {
                j--;
            }
        }
        return out;
    }

    /**
     * Writes {"matches" => [[[aStart, aEnd], [bStart, bEnd], (len)], ...]} minus the final "len"
     * pair. The walk is the one of {@link #subsequence}; a run of diagonal steps is one match,
     * reported once the walk leaves it.
     */
    private static void writeMatches(CommandContext ctx, byte[] a, byte[] b, int[] t,
                                     long minMatchLen, boolean withMatchLen) {
        int width = b.length + 1;
        // The reply needs the number of matches up front: the first pass counts, the second writes.
        long count = 0;
        for (int pass = 0; pass < 2; pass++) {
            boolean write = pass == 1;
            if (write) {
                ctx.out().mapHeader(2);
                ctx.out().bulk("matches");
                ctx.out().arrayHeader(count);
            }
            int i = a.length;
            int j = b.length;
            int endA = -1; // the open run covers a[i..endA] and b[j..endB]; -1 = no run open
            int endB = -1;
            while (i > 0 && j > 0) {
                if (a[i - 1] == b[j - 1]) {
                    if (endA < 0) {
                        endA = i - 1;
                        endB = j - 1;
                    }
                    i--;
                    j--;
                    continue;
                }
                if (endA >= 0) {
                    count += report(ctx, write, i, endA, j, endB, minMatchLen, withMatchLen);
                    endA = -1;
                }
                if (t[(i - 1) * width + j] > t[i * width + j - 1]) {
                    i--;
                } else {
                    j--;
                }
            }
            if (endA >= 0) { // a run that reached the start of either string
                count += report(ctx, write, i, endA, j, endB, minMatchLen, withMatchLen);
            }
        }
    }

    /** Writes one match if it is long enough and {@code write}; returns 1 if it counts. */
    private static int report(CommandContext ctx, boolean write, int startA, int endA, int startB, int endB,
                              long minMatchLen, boolean withMatchLen) {
        long len = endA - startA + 1;
        if (minMatchLen > 0 && len < minMatchLen) {
            return 0;
        }
        if (write) {
            ctx.out().arrayHeader(withMatchLen ? 3 : 2);
            ctx.out().arrayHeader(2);
            ctx.out().integer(startA);
            ctx.out().integer(endA);
            ctx.out().arrayHeader(2);
            ctx.out().integer(startB);
            ctx.out().integer(endB);
            if (withMatchLen) {
                ctx.out().integer(len);
            }
        }
        return 1;
    }
}
