package io.redraft.command;

import io.redraft.resp.RedisNumbers;
import io.redraft.store.Database;
import io.redraft.store.KeyEntry;
import io.redraft.store.WrongTypeException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/**
 * String commands. Values are plain {@code byte[]}, treated as immutable: SET stores the
 * argument array itself, which the log entry being applied still holds, so a command that
 * edits a value (APPEND, SETRANGE, SETBIT...) builds a new array and stores it with
 * {@code put(key, value, keepTtl)}. SET-like commands drop the TTL, edits keep it, as in Redis.
 */
final class StringCommands implements CommandFamily {
    private static final CommandError OFFSET_OUT_OF_RANGE = new CommandError("ERR offset is out of range");
    private static final CommandError DECREMENT_OVERFLOW = new CommandError("ERR decrement would overflow");
    private static final CommandError NAN_OR_INFINITY =
            new CommandError("ERR increment would produce NaN or Infinity");
    private static final byte[] EMPTY = new byte[0];

    @Override
    public void register(CommandTable t) {
        t.add(str("append", 3, WRITE, DENYOOM, FAST).since("2.0.0").complexity("O(1) amortized")
                .summary("Appends a string to the value of a key; creates the key if it does not exist.")
                .handler(StringCommands::append));
        t.add(str("decr", 2, WRITE, DENYOOM, FAST).since("1.0.0").complexity("O(1)")
                .summary("Subtracts one from the integer value of a key; a missing key counts as 0.")
                .handler((ctx, argv) -> incrBy(ctx, argv[1], -1)));
        t.add(str("decrby", 3, WRITE, DENYOOM, FAST).since("1.0.0").complexity("O(1)")
                .summary("Subtracts a number from the integer value of a key; a missing key counts as 0.")
                .handler(StringCommands::decrBy));
        t.add(str("get", 2, READONLY, FAST).since("1.0.0").complexity("O(1)")
                .summary("Returns the string value of a key.")
                .handler(StringCommands::get));
        t.add(str("getdel", 2, WRITE, FAST).since("6.2.0").complexity("O(1)")
                .summary("Returns the string value of a key and deletes the key.")
                .handler(StringCommands::getDel));
        t.add(str("getex", -2, WRITE, FAST).since("6.2.0").complexity("O(1)")
                .summary("Returns the string value of a key and optionally sets or removes its expiration.")
                .handler(StringCommands::getEx));
        t.add(str("getrange", 4, READONLY).since("2.4.0")
                .complexity("O(N) where N is the length of the returned string.")
                .summary("Returns the bytes of a string between two inclusive offsets.")
                .handler(StringCommands::getRange));
        t.add(str("getset", 3, WRITE, DENYOOM, FAST).since("1.0.0").complexity("O(1)")
                .summary("Sets a new string value and returns the previous one (deprecated: SET with GET).")
                .handler(StringCommands::getSet));
        t.add(str("incr", 2, WRITE, DENYOOM, FAST).since("1.0.0").complexity("O(1)")
                .summary("Adds one to the integer value of a key; a missing key counts as 0.")
                .handler((ctx, argv) -> incrBy(ctx, argv[1], 1)));
        t.add(str("incrby", 3, WRITE, DENYOOM, FAST).since("1.0.0").complexity("O(1)")
                .summary("Adds a number to the integer value of a key; a missing key counts as 0.")
                .handler((ctx, argv) -> incrBy(ctx, argv[1], Args.toLong(argv[2]))));
        t.add(str("incrbyfloat", 3, WRITE, DENYOOM, FAST).since("2.6.0").complexity("O(1)")
                .summary("Adds a floating point number to the value of a key; a missing key counts as 0.")
                .handler(StringCommands::incrByFloat));
        t.add(str("lcs", -3, READONLY).keys(1, 2, 1).since("7.0.0")
                .complexity("O(N*M) where N and M are the lengths of s1 and s2, respectively")
                .summary("Finds the longest common subsequence of two strings.")
                .handler(LcsCommand::execute));
        t.add(str("mget", -2, READONLY, FAST).keys(1, -1, 1).since("1.0.0")
                .complexity("O(N) where N is the number of keys to retrieve.")
                .summary("Returns the string values of several keys.")
                .handler(StringCommands::mget));
        t.add(str("mset", -3, WRITE, DENYOOM).keys(1, -1, 2).since("1.0.1")
                .complexity("O(N) where N is the number of keys to set.")
                .summary("Sets several keys to string values in one atomic step.")
                .handler((ctx, argv) -> mset(ctx, argv, false)));
        t.add(str("msetnx", -3, WRITE, DENYOOM).keys(1, -1, 2).since("1.0.1")
                .complexity("O(N) where N is the number of keys to set.")
                .summary("Sets several keys to string values only if none of them exists.")
                .handler((ctx, argv) -> mset(ctx, argv, true)));
        t.add(str("psetex", 4, WRITE, DENYOOM).since("2.6.0").complexity("O(1)")
                .summary("Sets a string value and a time to live in milliseconds.")
                .handler((ctx, argv) -> setWithTtl(ctx, argv, SetOptions.PX, "psetex")));
        t.add(str("set", -3, WRITE, DENYOOM).since("1.0.0").complexity("O(1)")
                .summary("Sets the string value of a key, whatever its type, with optional conditions and expiration.")
                .handler(StringCommands::set));
        t.add(str("setex", 4, WRITE, DENYOOM).since("2.0.0").complexity("O(1)")
                .summary("Sets a string value and a time to live in seconds.")
                .handler((ctx, argv) -> setWithTtl(ctx, argv, SetOptions.EX, "setex")));
        t.add(str("setnx", 3, WRITE, DENYOOM, FAST).since("1.0.0").complexity("O(1)")
                .summary("Sets a string value only if the key does not exist; replies 1 if it did.")
                .handler(StringCommands::setNx));
        t.add(str("setrange", 4, WRITE, DENYOOM).since("2.2.0")
                .complexity("O(1), not counting the time taken to copy the new string in place.")
                .summary("Overwrites part of a string from an offset, zero-padding as needed.")
                .handler(StringCommands::setRange));
        t.add(str("strlen", 2, READONLY, FAST).since("2.2.0").complexity("O(1)")
                .summary("Returns the length of a string value.")
                .handler(StringCommands::strlen));
        t.add(str("substr", 4, READONLY).since("1.0.0")
                .complexity("O(N) where N is the length of the returned string.")
                .summary("Returns the bytes of a string between two inclusive offsets (old name of GETRANGE).")
                .handler(StringCommands::getRange));
    }

    /** A string command with its one key at position 1 (the others override keys). */
    private static CommandSpec.Builder str(String name, int arity, CommandFlag... flags) {
        return typed(name, arity, "string", flags).keys(1, 1, 1);
    }

    /**
     * A command of a data-type group with Redis's ACL categories, which follow from its flags:
     * @read or @write, the group, @fast or @slow.
     */
    static CommandSpec.Builder typed(String name, int arity, String group, CommandFlag... flags) {
        boolean write = false;
        boolean fast = false;
        for (CommandFlag f : flags) {
            write |= f == WRITE;
            fast |= f == FAST;
        }
        return command(name, arity).flags(flags).group(group)
                .acl(write ? "@write" : "@read", "@" + group, fast ? "@fast" : "@slow");
    }

    // ---- reads ----

    private static void get(CommandContext ctx, byte[][] argv) {
        ctx.out().bulk(ctx.db().getString(argv[1], ctx.now()));
    }

    private static void strlen(CommandContext ctx, byte[][] argv) {
        byte[] s = ctx.db().getString(argv[1], ctx.now());
        ctx.out().integer(s == null ? 0 : s.length);
    }

    private static void mget(CommandContext ctx, byte[][] argv) {
        ctx.out().arrayHeader(argv.length - 1);
        for (int i = 1; i < argv.length; i++) {
            KeyEntry e = ctx.db().lookupRead(argv[i], ctx.now());
            // MGET never fails on another type: such keys read as nil
            ctx.out().bulk(e != null && e.value() instanceof byte[] s ? s : null);
        }
    }

    /** GETRANGE and SUBSTR. */
    private static void getRange(CommandContext ctx, byte[][] argv) {
        long start = Args.toLong(argv[2]);
        long end = Args.toLong(argv[3]);
        byte[] s = ctx.db().getString(argv[1], ctx.now());
        if (s == null || s.length == 0 || ByteRange.emptyFromTheEnd(start, end)) {
            ctx.out().bulk(EMPTY);
            return;
        }
        start = ByteRange.start(start, s.length);
        end = ByteRange.end(end, s.length);
        if (start > end) {
            ctx.out().bulk(EMPTY);
        } else {
            ctx.out().bulk(s, (int) start, (int) (end - start + 1));
        }
    }

    // ---- SET and friends ----

    private static void set(CommandContext ctx, byte[][] argv) {
        int parsed = SetOptions.parse(argv, 3, true);
        int flags = SetOptions.flags(parsed);
        long deadline = (flags & SetOptions.EXPIRE) == 0 ? KeyEntry.NO_EXPIRY
                : SetOptions.deadline(argv[SetOptions.expireIndex(parsed)], flags, ctx.now(), "set");
        setGeneric(ctx, argv[1], argv[2], flags, deadline, false);
    }

    /** SETEX and PSETEX: key, ttl, value. */
    private static void setWithTtl(CommandContext ctx, byte[][] argv, int unit, String name) {
        long deadline = SetOptions.deadline(argv[2], unit, ctx.now(), name);
        setGeneric(ctx, argv[1], argv[3], unit, deadline, false);
    }

    private static void setNx(CommandContext ctx, byte[][] argv) {
        setGeneric(ctx, argv[1], argv[2], SetOptions.NX, KeyEntry.NO_EXPIRY, true);
    }

    /**
     * The body of SET, SETEX, PSETEX and SETNX once options are valid. With GET the reply is the
     * old value (WRONGTYPE, before anything changes, if it is not a string); SETNX replies 1/0
     * instead of OK/nil. A deadline already past leaves no key behind.
     */
    private static void setGeneric(CommandContext ctx, byte[] key, byte[] value, int flags, long deadline,
                                   boolean integerReply) {
        Database db = ctx.db();
        long now = ctx.now();
        KeyEntry e = db.lookupWrite(key, now);
        boolean get = (flags & SetOptions.GET) != 0;
        byte[] old = null;
        if (get && e != null) {
            if (!(e.value() instanceof byte[] s)) {
                throw WrongTypeException.INSTANCE;
            }
            old = s;
        }
        boolean found = e != null;
        if (((flags & SetOptions.NX) != 0 && found) || ((flags & SetOptions.XX) != 0 && !found)) {
            if (get) {
                ctx.out().bulk(old);
            } else if (integerReply) {
                ctx.out().integer(0);
            } else {
                ctx.out().nullBulk();
            }
            return;
        }
        e = db.put(key, value, (flags & SetOptions.KEEPTTL) != 0);
        if (deadline != KeyEntry.NO_EXPIRY) {
            if (deadline <= now) {
                db.delete(key, now);
            } else {
                db.setExpireAt(e, deadline);
            }
        }
        if (get) {
            ctx.out().bulk(old);
        } else if (integerReply) {
            ctx.out().integer(1);
        } else {
            ctx.out().ok();
        }
    }

    private static void getSet(CommandContext ctx, byte[][] argv) {
        byte[] old = stringForWrite(ctx, argv[1]);
        ctx.db().put(argv[1], argv[2], false);
        ctx.out().bulk(old);
    }

    private static void getDel(CommandContext ctx, byte[][] argv) {
        byte[] old = stringForWrite(ctx, argv[1]);
        if (old != null) {
            ctx.db().delete(argv[1], ctx.now());
        }
        ctx.out().bulk(old);
    }

    /**
     * GETEX: options are checked for syntax first, the expire value only once the key is known
     * to hold a string (Redis's order: a missing key replies nil even with a bad time).
     */
    private static void getEx(CommandContext ctx, byte[][] argv) {
        int parsed = SetOptions.parse(argv, 2, false);
        int flags = SetOptions.flags(parsed);
        Database db = ctx.db();
        long now = ctx.now();
        KeyEntry e = db.lookupWrite(argv[1], now);
        if (e == null) {
            ctx.out().nullBulk();
            return;
        }
        if (!(e.value() instanceof byte[] value)) {
            throw WrongTypeException.INSTANCE;
        }
        if ((flags & SetOptions.EXPIRE) != 0) {
            long deadline = SetOptions.deadline(argv[SetOptions.expireIndex(parsed)], flags, now, "getex");
            if (deadline <= now) {
                db.delete(argv[1], now);
            } else {
                db.setExpireAt(e, deadline);
            }
        } else if ((flags & SetOptions.PERSIST) != 0 && e.hasExpiry()) {
            db.setExpireAt(e, KeyEntry.NO_EXPIRY);
        }
        ctx.out().bulk(value);
    }

    private static void mset(CommandContext ctx, byte[][] argv, boolean nx) {
        if (argv.length % 2 == 0) {
            throw new CommandError("ERR wrong number of arguments for '" + (nx ? "msetnx" : "mset") + "' command");
        }
        Database db = ctx.db();
        if (nx) {
            for (int i = 1; i < argv.length; i += 2) {
                if (db.lookupWrite(argv[i], ctx.now()) != null) {
                    ctx.out().integer(0);
                    return;
                }
            }
        }
        for (int i = 1; i < argv.length; i += 2) {
            db.lookupWrite(argv[i], ctx.now()); // drops an expired key so it is replaced cleanly
            db.put(argv[i], argv[i + 1], false);
        }
        if (nx) {
            ctx.out().integer(1);
        } else {
            ctx.out().ok();
        }
    }

    // ---- in-place edits ----

    private static void append(CommandContext ctx, byte[][] argv) {
        byte[] old = stringForWrite(ctx, argv[1]);
        byte[] add = argv[2];
        if (old == null) {
            ctx.db().put(argv[1], add, false);
            ctx.out().integer(add.length);
            return;
        }
        long total = (long) old.length + add.length;
        StringLimits.checkLength(ctx, total);
        byte[] joined = Arrays.copyOf(old, (int) total);
        System.arraycopy(add, 0, joined, old.length, add.length);
        ctx.db().put(argv[1], joined, true);
        ctx.out().integer(total);
    }

    private static void setRange(CommandContext ctx, byte[][] argv) {
        long offset = Args.toLong(argv[2]);
        if (offset < 0) {
            throw OFFSET_OUT_OF_RANGE;
        }
        byte[] patch = argv[3];
        byte[] old = stringForWrite(ctx, argv[1]);
        if (patch.length == 0) {
            // writing nothing changes nothing, and never creates the key
            ctx.out().integer(old == null ? 0 : old.length);
            return;
        }
        long end = offset + patch.length;
        StringLimits.checkLength(ctx, end);
        byte[] value;
        if (old == null) {
            value = new byte[(int) end];
        } else if (old.length < end) {
            value = Arrays.copyOf(old, (int) end);
        } else {
            value = old.clone(); // stored values are immutable, see the class comment
        }
        System.arraycopy(patch, 0, value, (int) offset, patch.length);
        ctx.db().put(argv[1], value, true);
        ctx.out().integer(value.length);
    }

    private static void decrBy(CommandContext ctx, byte[][] argv) {
        long by = Args.toLong(argv[2]);
        if (by == Long.MIN_VALUE) {
            throw DECREMENT_OVERFLOW; // its negation does not exist
        }
        incrBy(ctx, argv[1], -by);
    }

    /** INCR, DECR, INCRBY, DECRBY. The TTL is kept. */
    private static void incrBy(CommandContext ctx, byte[] key, long by) {
        byte[] old = stringForWrite(ctx, key);
        long value = 0;
        if (old != null) {
            Long parsed = RedisNumbers.parseLong(old);
            if (parsed == null) {
                throw CommandError.NOT_INTEGER;
            }
            value = parsed;
        }
        long result = value + by;
        if (((value ^ result) & (by ^ result)) < 0) {
            throw CommandError.OVERFLOW;
        }
        ctx.db().put(key, Long.toString(result).getBytes(StandardCharsets.US_ASCII), true);
        ctx.out().integer(result);
    }

    /**
     * INCRBYFLOAT. Redis adds in 80-bit long double; we add in double and format the result as
     * Redis does (%.17Lf, trailing zeros trimmed), so results agree except past double precision.
     */
    private static void incrByFloat(CommandContext ctx, byte[][] argv) {
        byte[] old = stringForWrite(ctx, argv[1]);
        double value = 0;
        if (old != null) {
            Double parsed = RedisNumbers.parseDouble(old);
            if (parsed == null) {
                throw CommandError.NOT_FLOAT;
            }
            value = parsed;
        }
        double result = value + Args.toDouble(argv[2]);
        if (Double.isNaN(result) || Double.isInfinite(result)) {
            throw NAN_OR_INFINITY;
        }
        byte[] formatted = RedisNumbers.formatLongDouble(result).getBytes(StandardCharsets.US_ASCII);
        ctx.db().put(argv[1], formatted, true);
        ctx.out().bulk(formatted);
    }

    /** The string at key inside a write (expired keys deleted), null if absent, else WRONGTYPE. */
    static byte[] stringForWrite(CommandContext ctx, byte[] key) {
        KeyEntry e = ctx.db().lookupWrite(key, ctx.now());
        if (e == null) {
            return null;
        }
        if (!(e.value() instanceof byte[] s)) {
            throw WrongTypeException.INSTANCE;
        }
        return s;
    }
}
