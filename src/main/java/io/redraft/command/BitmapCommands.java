package io.redraft.command;

import io.redraft.store.KeyEntry;
import io.redraft.store.WrongTypeException;

import java.util.Arrays;

import static io.redraft.command.CommandFlag.*;

/**
 * Bitmap commands: strings read and written bit by bit. Like the string commands they never
 * modify a stored array in place (see {@link StringCommands}); a write builds the new value
 * with {@link #editableString} and stores it.
 */
final class BitmapCommands implements CommandFamily {
    private static final CommandError BAD_BIT = new CommandError("ERR bit is not an integer or out of range");
    private static final CommandError BITPOS_BIT = new CommandError("ERR The bit argument must be 1 or 0.");
    private static final CommandError NOT_SINGLE_SOURCE =
            new CommandError("ERR BITOP NOT must be called with a single source key.");

    @Override
    public void register(CommandTable t) {
        t.add(bitmap("bitcount", -2, READONLY).keys(1, 1, 1).since("2.6.0").complexity("O(N)")
                .summary("Counts the set bits of a string, optionally within a byte or bit range.")
                .handler(BitmapCommands::bitcount));
        t.add(bitmap("bitfield", -2, WRITE, DENYOOM).keys(1, 1, 1).since("3.2.0")
                .complexity("O(1) for each subcommand specified")
                .summary("Reads, writes and increments integer fields of arbitrary width inside a string.")
                .handler((ctx, argv) -> BitfieldCommand.execute(ctx, argv, false)));
        t.add(bitmap("bitfield_ro", -2, READONLY, FAST).keys(1, 1, 1).since("6.0.0")
                .complexity("O(1) for each subcommand specified")
                .summary("Reads integer fields of arbitrary width inside a string (GET only).")
                .handler((ctx, argv) -> BitfieldCommand.execute(ctx, argv, true)));
        t.add(bitmap("bitop", -4, WRITE, DENYOOM).keys(2, -1, 1).since("2.6.0").complexity("O(N)")
                .summary("Stores the bitwise AND, OR, XOR or NOT of strings in a destination key.")
                .handler(BitmapCommands::bitop));
        t.add(bitmap("bitpos", -3, READONLY).keys(1, 1, 1).since("2.8.7").complexity("O(N)")
                .summary("Finds the first set or clear bit of a string, optionally within a range.")
                .handler(BitmapCommands::bitpos));
        t.add(bitmap("getbit", 3, READONLY, FAST).keys(1, 1, 1).since("2.2.0").complexity("O(1)")
                .summary("Returns one bit of a string; bits past its end are 0.")
                .handler(BitmapCommands::getbit));
        t.add(bitmap("setbit", 4, WRITE, DENYOOM).keys(1, 1, 1).since("2.2.0").complexity("O(1)")
                .summary("Sets or clears one bit of a string, growing it as needed; replies the old bit.")
                .handler(BitmapCommands::setbit));
    }

    private static CommandSpec.Builder bitmap(String name, int arity, CommandFlag... flags) {
        return StringCommands.typed(name, arity, "bitmap", flags);
    }

    /**
     * A private copy of the string at key, zero-padded to hold bit {@code maxBit}, for a write
     * (Redis's lookupStringForBitCommand). A missing key gives a new zeroed string; another
     * type is WRONGTYPE. The caller stores the result with {@code put(key, copy, true)}.
     */
    static byte[] editableString(CommandContext ctx, byte[] key, long maxBit) {
        int needed = (int) ((maxBit >>> 3) + 1);
        byte[] current = StringCommands.stringForWrite(ctx, key);
        if (current == null) {
            return new byte[needed];
        }
        return Arrays.copyOf(current, Math.max(current.length, needed));
    }

    private static void getbit(CommandContext ctx, byte[][] argv) {
        long offset = StringLimits.bitOffset(ctx, argv[2], 0);
        ctx.out().integer(BitOps.getBit(ctx.db().getString(argv[1], ctx.now()), offset));
    }

    private static void setbit(CommandContext ctx, byte[][] argv) {
        long offset = StringLimits.bitOffset(ctx, argv[2], 0);
        byte[] b = argv[3];
        if (b.length != 1 || (b[0] != '0' && b[0] != '1')) {
            throw BAD_BIT;
        }
        byte[] value = editableString(ctx, argv[1], offset);
        int old = BitOps.getBit(value, offset);
        BitOps.setBit(value, offset, b[0] - '0');
        ctx.db().put(argv[1], value, true);
        ctx.out().integer(old);
    }

    /** BITCOUNT key [start end [BYTE|BIT]]. A missing key is 0 whatever the arguments. */
    private static void bitcount(CommandContext ctx, byte[][] argv) {
        byte[] s = ctx.db().getString(argv[1], ctx.now());
        if (s == null) {
            ctx.out().integer(0);
            return;
        }
        long fromBit;
        long toBit;
        if (argv.length == 2) {
            fromBit = 0;
            toBit = (long) s.length * 8 - 1;
        } else if (argv.length == 4 || argv.length == 5) {
            long start = Args.toLong(argv[2]);
            long end = Args.toLong(argv[3]);
            if (ByteRange.emptyFromTheEnd(start, end)) { // Redis answers before reading the unit
                ctx.out().integer(0);
                return;
            }
            boolean bits = argv.length == 5 && bitUnit(argv[4]);
            long len = bits ? (long) s.length * 8 : s.length;
            start = ByteRange.start(start, len);
            end = ByteRange.end(end, len);
            if (start > end) {
                ctx.out().integer(0);
                return;
            }
            fromBit = bits ? start : start * 8;
            toBit = bits ? end : end * 8 + 7;
        } else {
            throw CommandError.SYNTAX;
        }
        ctx.out().integer(fromBit > toBit ? 0 : BitOps.count(s, fromBit, toBit));
    }

    /**
     * BITPOS key bit [start [end [BYTE|BIT]]]. A missing key is all zeros: 0 for a clear bit, -1
     * for a set one. Looking for 0 without an explicit end, the bit just past the string counts
     * as clear, as in Redis.
     */
    private static void bitpos(CommandContext ctx, byte[][] argv) {
        long bit = Args.toLong(argv[2]);
        if (bit != 0 && bit != 1) {
            throw BITPOS_BIT;
        }
        byte[] s = ctx.db().getString(argv[1], ctx.now());
        if (s == null) {
            ctx.out().integer(bit == 1 ? -1 : 0);
            return;
        }
        if (argv.length > 6) {
            throw CommandError.SYNTAX;
        }
        boolean bits = false;
        boolean endGiven = argv.length >= 5;
        long start = 0;
        long end = Long.MAX_VALUE; // clamped to the last unit below
        if (argv.length >= 4) {
            start = Args.toLong(argv[3]);
            if (argv.length == 6) {
                bits = bitUnit(argv[5]);
            }
            if (endGiven) {
                end = Args.toLong(argv[4]);
            }
        }
        long len = bits ? (long) s.length * 8 : s.length;
        start = ByteRange.start(start, len);
        end = ByteRange.end(end, len);
        if (start > end) {
            ctx.out().integer(-1);
            return;
        }
        long fromBit = bits ? start : start * 8;
        long toBit = bits ? end : end * 8 + 7;
        long pos = BitOps.find(s, fromBit, toBit, (int) bit);
        if (pos < 0 && bit == 0 && !endGiven) {
            pos = toBit + 1;
        }
        ctx.out().integer(pos);
    }

    /** BYTE (false) or BIT (true), else syntax error. */
    private static boolean bitUnit(byte[] arg) {
        if (Args.is(arg, "bit")) {
            return true;
        }
        if (Args.is(arg, "byte")) {
            return false;
        }
        throw CommandError.SYNTAX;
    }

    /**
     * BITOP op dest key...: missing sources count as empty strings and shorter ones are padded
     * with zero bytes; the result is as long as the longest source. An empty result deletes dest.
     */
    private static void bitop(CommandContext ctx, byte[][] argv) {
        byte[] op = argv[1];
        boolean and = Args.is(op, "and");
        boolean or = Args.is(op, "or");
        boolean xor = Args.is(op, "xor");
        boolean not = Args.is(op, "not");
        if (!(and || or || xor || not)) {
            throw CommandError.SYNTAX;
        }
        if (not && argv.length != 4) {
            throw NOT_SINGLE_SOURCE;
        }
        int sources = argv.length - 3;
        byte[][] values = new byte[sources][];
        int maxLen = 0;
        for (int i = 0; i < sources; i++) {
            KeyEntry e = ctx.db().lookupWrite(argv[3 + i], ctx.now());
            if (e != null && !(e.value() instanceof byte[])) {
                throw WrongTypeException.INSTANCE;
            }
            values[i] = e == null ? null : (byte[]) e.value();
            maxLen = Math.max(maxLen, values[i] == null ? 0 : values[i].length);
        }
        if (maxLen == 0) {
            ctx.db().delete(argv[2], ctx.now());
            ctx.out().integer(0);
            return;
        }
        byte[] result = new byte[maxLen];
        byte[] firstSrc = values[0];
        if (firstSrc != null) {
            System.arraycopy(firstSrc, 0, result, 0, firstSrc.length);
        }
        if (not) {
            for (int j = 0; j < maxLen; j++) {
                result[j] = (byte) ~result[j];
            }
        }
        for (int i = 1; i < sources; i++) {
            byte[] v = values[i];
            int n = v == null ? 0 : v.length;
            for (int j = 0; j < maxLen; j++) {
                byte b = j < n ? v[j] : 0;
                result[j] = (byte) (and ? result[j] & b : or ? result[j] | b : result[j] ^ b);
            }
        }
        ctx.db().lookupWrite(argv[2], ctx.now());
        ctx.db().put(argv[2], result, false);
        ctx.out().integer(maxLen);
    }
}
