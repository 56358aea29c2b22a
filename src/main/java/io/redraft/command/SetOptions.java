package io.redraft.command;

/**
 * The options shared by SET and GETEX (NX XX GET KEEPTTL PERSIST EX PX EXAT PXAT), parsed as
 * Redis 7.0 does, and the conversion of an expire argument into an absolute deadline.
 *
 * <p>{@link #parse} packs its result in one int (flag bits in the low 16 bits, the index of the
 * expire argument above them) so the hot SET path allocates nothing.
 */
final class SetOptions {
    static final int NX = 1;
    static final int XX = 1 << 1;
    static final int GET = 1 << 2;
    static final int KEEPTTL = 1 << 3;
    static final int PERSIST = 1 << 4;
    static final int EX = 1 << 5;
    static final int PX = 1 << 6;
    static final int EXAT = 1 << 7;
    static final int PXAT = 1 << 8;
    /** Any option that sets a deadline. */
    static final int EXPIRE = EX | PX | EXAT | PXAT;

    private SetOptions() {
    }

    /**
     * Parses argv[from..] for SET ({@code forSet}) or GETEX. An option is refused (syntax error)
     * when it conflicts with one already seen; repeating the same option is allowed, the last
     * expire argument wins, as in Redis.
     */
    static int parse(byte[][] argv, int from, boolean forSet) {
        int flags = 0;
        int expireIndex = 0;
        for (int j = from; j < argv.length; j++) {
            byte[] opt = argv[j];
            boolean hasNext = j + 1 < argv.length;
            int expireKind = 0;
            if (forSet && Args.is(opt, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (forSet && Args.is(opt, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (forSet && Args.is(opt, "get")) {
                flags |= GET;
            } else if (forSet && Args.is(opt, "keepttl") && (flags & EXPIRE) == 0) {
                flags |= KEEPTTL;
            } else if (!forSet && Args.is(opt, "persist") && (flags & EXPIRE) == 0) {
                flags |= PERSIST;
            } else if (Args.is(opt, "ex")) {
                expireKind = EX;
            } else if (Args.is(opt, "px")) {
                expireKind = PX;
            } else if (Args.is(opt, "exat")) {
                expireKind = EXAT;
            } else if (Args.is(opt, "pxat")) {
                expireKind = PXAT;
            } else {
                throw CommandError.SYNTAX;
            }
            if (expireKind != 0) {
                // another kind of deadline, KEEPTTL, PERSIST or a missing value: syntax error
                int conflicts = (EXPIRE & ~expireKind) | KEEPTTL | PERSIST;
                if ((flags & conflicts) != 0 || !hasNext) {
                    throw CommandError.SYNTAX;
                }
                flags |= expireKind;
                expireIndex = ++j;
            }
        }
        return flags | (expireIndex << 16);
    }

    static int flags(int parsed) {
        return parsed & 0xFFFF;
    }

    static int expireIndex(int parsed) {
        return parsed >>> 16;
    }

    /**
     * The absolute deadline (ms) an expire argument names: EX/PX are relative to now, EXAT/PXAT
     * absolute. Zero, negative or overflowing times are "invalid expire time in '<command>'".
     * A deadline in the past is valid here; callers then delete the key.
     */
    static long deadline(byte[] arg, int flags, long now, String command) {
        long t = Args.toLong(arg);
        boolean seconds = (flags & (EX | EXAT)) != 0;
        if (t <= 0 || (seconds && t > Long.MAX_VALUE / 1000)) {
            throw invalidExpire(command);
        }
        if (seconds) {
            t *= 1000;
        }
        if ((flags & (EX | PX)) != 0) {
            t += now; // wraps negative on overflow, refused just below, as Redis does
        }
        if (t <= 0) {
            throw invalidExpire(command);
        }
        return t;
    }

    private static CommandError invalidExpire(String command) {
        return new CommandError("ERR invalid expire time in '" + command + "' command");
    }
}
