package io.redraft.command;

import io.redraft.store.GlobMatcher;

/** The arguments of HSCAN / SSCAN / ZSCAN: cursor [MATCH pattern] [COUNT count]. */
final class ScanArgs {
    final long cursor;
    final byte[] pattern;
    final int count;

    private ScanArgs(long cursor, byte[] pattern, int count) {
        this.cursor = cursor;
        this.pattern = pattern;
        this.count = count;
    }

    /** Parses argv from the cursor at index cursorIdx, with Redis's errors. */
    static ScanArgs parse(byte[][] argv, int cursorIdx) {
        long cursor = ScanCursor.parse(argv[cursorIdx]);
        byte[] pattern = null;
        long count = 10;
        for (int i = cursorIdx + 1; i < argv.length; i += 2) {
            if (i + 1 >= argv.length) {
                throw CommandError.SYNTAX;
            }
            if (Args.is(argv[i], "count")) {
                count = Args.toLong(argv[i + 1]);
                if (count < 1) {
                    throw CommandError.SYNTAX;
                }
            } else if (Args.is(argv[i], "match")) {
                pattern = argv[i + 1];
            } else {
                throw CommandError.SYNTAX;
            }
        }
        // A lone "*" matches everything: skip matching altogether, as Redis does.
        if (pattern != null && pattern.length == 1 && pattern[0] == '*') {
            pattern = null;
        }
        return new ScanArgs(cursor, pattern, (int) Math.min(count, Integer.MAX_VALUE));
    }

    /** Fills found with the elements of one page of value and returns the next cursor. */
    @FunctionalInterface
    interface PageScanner<V> {
        long scan(V value, ScanArgs args, java.util.List<byte[]> found);
    }

    /**
     * HSCAN/SSCAN/ZSCAN in Redis's order: the cursor is checked first, then the key is looked up
     * (a missing key replies an empty page without reading the options), then the options.
     */
    static <V> void replyPage(CommandContext ctx, byte[][] argv, java.util.function.Function<byte[], V> read,
                              PageScanner<V> scanner) {
        ScanCursor.parse(argv[2]);
        V value = read.apply(argv[1]);
        java.util.List<byte[]> found = new java.util.ArrayList<>();
        long next = value == null ? 0 : scanner.scan(value, parse(argv, 2), found);
        io.redraft.resp.RespWriter out = ctx.out();
        out.arrayHeader(2);
        out.bulk(Long.toUnsignedString(next));
        out.arrayHeader(found.size());
        for (byte[] b : found) {
            out.bulk(b);
        }
    }

    boolean matches(byte[] member) {
        return pattern == null || GlobMatcher.matches(pattern, member, false);
    }
}
