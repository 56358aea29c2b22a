package io.redraft.command;

/**
 * BITFIELD and BITFIELD_RO: a list of GET / SET / INCRBY operations on signed (i1..i64) or
 * unsigned (u1..u63) integer fields at bit offsets ("#n" = n times the field width), with
 * OVERFLOW WRAP|SAT|FAIL governing the operations after it.
 *
 * <p>The arguments are walked twice: a first pass validates everything (so an error leaves the
 * key untouched) and measures the reply and the string size needed; the second executes.
 */
final class BitfieldCommand {
    private static final CommandError BAD_TYPE = new CommandError(
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
    private static final CommandError BAD_OVERFLOW = new CommandError("ERR Invalid OVERFLOW type specified");
    private static final CommandError RO_ONLY_GET =
            new CommandError("ERR BITFIELD_RO only supports the GET subcommand");

    private static final int GET = 0;
    private static final int SET = 1;
    private static final int INCRBY = 2;
    private static final int WRAP = 0;
    private static final int SAT = 1;
    private static final int FAIL = 2;

    private BitfieldCommand() {
    }

    static void execute(CommandContext ctx, byte[][] argv, boolean readOnlyCommand) {
        // Pass 1: validate, count operations, find the highest bit written (-1: no writes).
        int ops = 0;
        long highestWrite = -1;
        for (int j = 2; j < argv.length; ) {
            int op = opcode(argv, j);
            if (op < 0) {
                overflowMode(argv[j + 1]);
                j += 2;
                continue;
            }
            int type = fieldType(argv[j + 1]);
            long offset = StringLimits.bitOffset(ctx, argv[j + 2], bits(type));
            if (op != GET) {
                highestWrite = Math.max(highestWrite, offset + bits(type) - 1);
                Args.toLong(argv[j + 3]);
            }
            ops++;
            j += op == GET ? 3 : 4;
        }
        if (highestWrite >= 0 && readOnlyCommand) {
            throw RO_ONLY_GET;
        }

        // Pass 2: execute. Only GETs: read without creating the key; else work on a copy.
        byte[] s = highestWrite < 0
                ? (readOnlyCommand ? ctx.db().getString(argv[1], ctx.now()) : StringCommands.stringForWrite(ctx, argv[1]))
                : BitmapCommands.editableString(ctx, argv[1], highestWrite);
        ctx.out().arrayHeader(ops);
        int overflow = WRAP;
        for (int j = 2; j < argv.length; ) {
            int op = opcode(argv, j);
            if (op < 0) {
                overflow = overflowMode(argv[j + 1]);
                j += 2;
                continue;
            }
            int type = fieldType(argv[j + 1]);
            int bits = bits(type);
            boolean signed = signed(type);
            long offset = StringLimits.bitOffset(ctx, argv[j + 2], bits);
            long old = BitOps.getField(s, offset, bits, signed);
            if (op == GET) {
                ctx.out().integer(old);
                j += 3;
                continue;
            }
            long arg = Args.toLong(argv[j + 3]);
            // SET checks the new value itself against the field, INCRBY old + increment
            long base = op == SET ? arg : old;
            long incr = op == SET ? 0 : arg;
            int direction = overflowDirection(base, incr, bits, signed);
            if (direction != 0 && overflow == FAIL) {
                ctx.out().nullBulk();
            } else {
                long value = direction == 0 || overflow == WRAP
                        ? wrap(base, incr, bits, signed)
                        : saturate(direction, bits, signed);
                BitOps.setField(s, offset, bits, value);
                ctx.out().integer(op == SET ? old : value);
            }
            j += 4;
        }
        if (highestWrite >= 0) {
            ctx.db().put(argv[1], s, true);
        }
    }

    /** GET/SET/INCRBY with enough arguments after it, -1 for OVERFLOW, else syntax error. */
    private static int opcode(byte[][] argv, int j) {
        int remaining = argv.length - j - 1;
        byte[] sub = argv[j];
        if (Args.is(sub, "get") && remaining >= 2) {
            return GET;
        }
        if (Args.is(sub, "set") && remaining >= 3) {
            return SET;
        }
        if (Args.is(sub, "incrby") && remaining >= 3) {
            return INCRBY;
        }
        if (Args.is(sub, "overflow") && remaining >= 1) {
            return -1;
        }
        throw CommandError.SYNTAX;
    }

    private static int overflowMode(byte[] arg) {
        if (Args.is(arg, "wrap")) {
            return WRAP;
        }
        if (Args.is(arg, "sat")) {
            return SAT;
        }
        if (Args.is(arg, "fail")) {
            return FAIL;
        }
        throw BAD_OVERFLOW;
    }

    /** "i<bits>" or "u<bits>" (lower case only, as Redis) packed as bits, plus 128 when signed. */
    private static int fieldType(byte[] arg) {
        if (arg.length < 2 || (arg[0] != 'i' && arg[0] != 'u')) {
            throw BAD_TYPE;
        }
        boolean signed = arg[0] == 'i';
        Long bits = io.redraft.resp.RedisNumbers.parseLong(java.util.Arrays.copyOfRange(arg, 1, arg.length));
        if (bits == null || bits < 1 || bits > (signed ? 64 : 63)) {
            throw BAD_TYPE;
        }
        return (int) (bits | (signed ? 128 : 0));
    }

    private static int bits(int type) {
        return type & 127;
    }

    private static boolean signed(int type) {
        return (type & 128) != 0;
    }

    /**
     * Whether value + incr leaves the field's range: 1 above, -1 below, 0 inside. For unsigned
     * fields value is read as unsigned 64-bit, so SET of a negative number is an overflow, as
     * in Redis.
     */
    static int overflowDirection(long value, long incr, int bits, boolean signed) {
        if (!signed) {
            long max = (1L << bits) - 1;
            if (Long.compareUnsigned(value, max) > 0 || incr > max - value) {
                return 1;
            }
            return incr < -value ? -1 : 0;
        }
        long sum = value + incr;
        if (((value ^ sum) & (incr ^ sum)) < 0) { // the 64-bit sum itself overflowed
            return incr > 0 ? 1 : -1;
        }
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        if (sum > max) {
            return 1;
        }
        return sum < -max - 1 ? -1 : 0;
    }

    /** value + incr reduced to the field's width (two's complement for signed fields). */
    static long wrap(long value, long incr, int bits, boolean signed) {
        long sum = value + incr;
        if (bits == 64) {
            return sum;
        }
        return signed ? (sum << (64 - bits)) >> (64 - bits) : sum & ((1L << bits) - 1);
    }

    static long saturate(int direction, int bits, boolean signed) {
        if (!signed) {
            return direction > 0 ? (1L << bits) - 1 : 0;
        }
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        return direction > 0 ? max : -max - 1;
    }
}
