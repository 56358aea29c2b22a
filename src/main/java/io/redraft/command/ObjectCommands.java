package io.redraft.command;

import io.redraft.resp.RedisNumbers;
import io.redraft.resp.RespWriter;
import io.redraft.server.ConfigParameter;
import io.redraft.store.Database;
import io.redraft.store.EncodingLimits;
import io.redraft.store.KeyEntry;
import io.redraft.store.RedisValue;
import io.redraft.store.SetEncodingLimits;
import io.redraft.store.rdb.DumpPayload;
import io.redraft.store.rdb.RdbFormatException;
import io.redraft.store.rdb.UnsupportedTypeException;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/**
 * Commands about a key's value object: OBJECT (ENCODING FREQ IDLETIME REFCOUNT HELP), and DUMP
 * and RESTORE, whose payloads are Redis's own serialization ({@link DumpPayload}).
 */
final class ObjectCommands implements CommandFamily {
    private static final CommandError BUSYKEY = new CommandError("BUSYKEY Target key name already exists.");
    private static final CommandError BAD_PAYLOAD = new CommandError("ERR DUMP payload version or checksum are wrong");
    private static final CommandError BAD_DATA = new CommandError("ERR Bad data format");
    private static final CommandError BAD_TTL = new CommandError("ERR Invalid TTL value, must be >= 0");
    private static final CommandError BAD_IDLETIME = new CommandError("ERR Invalid IDLETIME value, must be >= 0");
    private static final CommandError BAD_FREQ = new CommandError("ERR Invalid FREQ value, must be >= 0 and <= 255");
    private static final CommandError DUMP_UNSUPPORTED = new CommandError("ERR DUMP of this type is not supported yet");
    private static final CommandError FREQ_WITHOUT_LFU = new CommandError("ERR An LFU maxmemory policy is not selected,"
            + " access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU"
            + " data will take some time to adjust.");
    private static final CommandError IDLETIME_WITH_LFU = new CommandError("ERR An LFU maxmemory policy is selected,"
            + " idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data"
            + " will take some time to adjust.");

    /** Redis shares the objects of the integers 0..9999; OBJECT REFCOUNT reports them as INT_MAX. */
    private static final long SHARED_INTEGERS = 10000;
    /** The counter Redis gives a new key under an LFU policy (LFU_INIT_VAL). */
    private static final int LFU_INIT_VAL = 5;

    private static final String[] HELP = {
            "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
            "HELP",
            "    Prints this help.",
    };

    @Override
    public void register(CommandTable t) {
        t.add(command("object", -2).since("2.2.3").summary("A container for object introspection commands.")
                .subcommand(command("encoding", 3).flags(READONLY).keys(2, 2, 1).since("2.2.3").complexity("O(1)")
                        .summary("Returns the internal encoding of a Redis object.").handler(ObjectCommands::encoding))
                .subcommand(command("freq", 3).flags(READONLY).keys(2, 2, 1).since("4.0.0").complexity("O(1)")
                        .summary("Returns the logarithmic access frequency counter of a Redis object.")
                        .handler(ObjectCommands::freq))
                .subcommand(command("idletime", 3).flags(READONLY).keys(2, 2, 1).since("2.2.3").complexity("O(1)")
                        .summary("Returns the time since the last access to a Redis object.")
                        .handler(ObjectCommands::idletime))
                .subcommand(command("refcount", 3).flags(READONLY).keys(2, 2, 1).since("2.2.3").complexity("O(1)")
                        .summary("Returns the reference count of a value of a key.").handler(ObjectCommands::refcount))
                .subcommand(command("help", 2).flags(LOADING, STALE).since("6.2.0").complexity("O(1)")
                        .summary("Returns helpful text about the different subcommands.").handler(ObjectCommands::help)));
        t.add(command("dump", 2).flags(READONLY).keys(1, 1, 1).since("2.6.0").complexity("O(1) to access the key")
                .summary("Returns a serialized representation of the value stored at a key.")
                .handler(ObjectCommands::dump));
        t.add(command("restore", -4).flags(WRITE, DENYOOM).keys(1, 1, 1).since("2.6.0")
                .complexity("O(1) to create the new key")
                .summary("Creates a key from the serialized representation of a value.")
                .handler(ObjectCommands::restore));
    }

    /** The key of an OBJECT subcommand, without recording an access; null after a null reply. */
    private static KeyEntry objectKey(CommandContext ctx, byte[][] argv) {
        KeyEntry e = ctx.db().peek(argv[2], ctx.now());
        if (e == null) {
            ctx.out().nullBulk();
        }
        return e;
    }

    private static void encoding(CommandContext ctx, byte[][] argv) {
        KeyEntry e = objectKey(ctx, argv);
        if (e != null) {
            Object v = e.value();
            ctx.out().bulk(v instanceof byte[] s ? stringEncoding(s) : ((RedisValue) v).encoding());
        }
    }

    /**
     * What Redis would report for a string holding s: "int" for an integer it can store as a
     * long, "embstr" up to 44 bytes, else "raw". (Redis also reports "raw" for short strings
     * built by APPEND or SETRANGE; Redraft does not track how a string was built.)
     */
    static String stringEncoding(byte[] s) {
        return io.redraft.store.StringEncoding.of(s);
    }

    private static void refcount(CommandContext ctx, byte[][] argv) {
        KeyEntry e = objectKey(ctx, argv);
        if (e != null) {
            ctx.out().integer(isSharedInteger(e.value()) ? Integer.MAX_VALUE : 1);
        }
    }

    private static boolean isSharedInteger(Object v) {
        if (!(v instanceof byte[] s) || s.length > 4) {
            return false;
        }
        Long n = RedisNumbers.parseLong(s);
        return n != null && n >= 0 && n < SHARED_INTEGERS;
    }

    private static void idletime(CommandContext ctx, byte[][] argv) {
        KeyEntry e = objectKey(ctx, argv);
        if (e != null) {
            if (lfuPolicy(ctx)) {
                throw IDLETIME_WITH_LFU;
            }
            ctx.out().integer(Math.max(0, ctx.now() - e.accessedAt()) / 1000);
        }
    }

    /**
     * Redraft keeps no LFU counter yet: under an LFU policy this reports Redis's initial counter
     * decayed by one per idle minute (lfu-decay-time 1), what a key never read again would show.
     */
    private static void freq(CommandContext ctx, byte[][] argv) {
        KeyEntry e = objectKey(ctx, argv);
        if (e != null) {
            if (!lfuPolicy(ctx)) {
                throw FREQ_WITHOUT_LFU;
            }
            long idleMinutes = Math.max(0, ctx.now() - e.accessedAt()) / 60_000;
            ctx.out().integer(Math.max(0, LFU_INIT_VAL - idleMinutes));
        }
    }

    /** Whether maxmemory-policy names an LFU policy (the parameter may not exist yet). */
    private static boolean lfuPolicy(CommandContext ctx) {
        ConfigParameter p = ctx.server().config().parameter("maxmemory-policy");
        return p != null && p.value().contains("lfu");
    }

    private static void help(CommandContext ctx, byte[][] argv) {
        RespWriter out = ctx.out();
        out.arrayHeader(HELP.length);
        for (String line : HELP) {
            out.simple(line);
        }
    }

    private static void dump(CommandContext ctx, byte[][] argv) {
        KeyEntry e = ctx.db().lookupRead(argv[1], ctx.now());
        if (e == null) {
            ctx.out().nullBulk();
            return;
        }
        try {
            ctx.out().bulk(DumpPayload.dump(e.value()));
        } catch (UnsupportedTypeException ex) {
            throw DUMP_UNSUPPORTED;
        }
    }

    /** RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]. */
    private static void restore(CommandContext ctx, byte[][] argv) {
        boolean replace = false;
        boolean absTtl = false;
        long idleSeconds = -1;
        long freq = -1;
        for (int i = 4; i < argv.length; i++) {
            boolean hasValue = i + 1 < argv.length;
            if (Args.is(argv[i], "replace")) {
                replace = true;
            } else if (Args.is(argv[i], "absttl")) {
                absTtl = true;
            } else if (Args.is(argv[i], "idletime") && hasValue && freq == -1) {
                idleSeconds = Args.toLong(argv[++i]);
                if (idleSeconds < 0) {
                    throw BAD_IDLETIME;
                }
            } else if (Args.is(argv[i], "freq") && hasValue && idleSeconds == -1) {
                freq = Args.toLong(argv[++i]);
                if (freq < 0 || freq > 255) {
                    throw BAD_FREQ;
                }
            } else {
                throw CommandError.SYNTAX;
            }
        }
        Database db = ctx.db();
        long now = ctx.now();
        byte[] key = argv[1];
        if (!replace && db.lookupWrite(key, now) != null) {
            throw BUSYKEY;
        }
        long ttl = Args.toLong(argv[2]);
        if (ttl < 0) {
            throw BAD_TTL;
        }
        byte[] payload = argv[3];
        if (!DumpPayload.verify(payload)) {
            throw BAD_PAYLOAD;
        }
        Object value;
        try {
            value = DumpPayload.restore(payload, EncodingLimits.of(ctx.server().config()),
                    SetEncodingLimits.read(ctx.server().config()));
        } catch (RdbFormatException ex) {
            throw BAD_DATA;
        }
        long deadline = KeyEntry.NO_EXPIRY;
        if (ttl != 0) {
            deadline = absTtl ? ttl : saturatedAdd(now, ttl);
            if (deadline <= now) {
                // Already expired: the key ends up absent (an old one is still replaced away).
                if (replace) {
                    db.delete(key, now);
                }
                ctx.out().ok();
                return;
            }
        }
        KeyEntry e = Keys.store(db, key, value, deadline, now);
        if (idleSeconds >= 0 && !lfuPolicy(ctx)) {
            e.accessedAt(now - Math.min(idleSeconds, now / 1000) * 1000);
        }
        // FREQ is validated but has no effect: Redraft keeps no LFU counter yet.
        ctx.out().ok();
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
