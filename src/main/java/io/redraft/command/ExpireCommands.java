package io.redraft.command;

import io.redraft.store.Database;
import io.redraft.store.KeyEntry;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/**
 * Key expiry: EXPIRE PEXPIRE EXPIREAT PEXPIREAT (with NX XX GT LT), TTL PTTL EXPIRETIME
 * PEXPIRETIME, PERSIST.
 *
 * <p>Deadlines are absolute milliseconds computed from {@code ctx.now()}, the log entry's
 * timestamp, so every node stores the same deadline. A deadline at or before now deletes the
 * key at once, as Redis does.
 */
final class ExpireCommands implements CommandFamily {
    private static final CommandError NX_CONFLICT =
            new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
    private static final CommandError GT_LT_CONFLICT =
            new CommandError("ERR GT and LT options at the same time are not compatible");

    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GT = 4;
    private static final int LT = 8;

    @Override
    public void register(CommandTable t) {
        t.add(command("expire", -3).flags(WRITE, FAST).keys(1, 1, 1).since("1.0.0").complexity("O(1)")
                .summary("Sets the expiration time of a key in seconds.")
                .handler((ctx, argv) -> expire(ctx, argv, ctx.now(), 1000)));
        t.add(command("pexpire", -3).flags(WRITE, FAST).keys(1, 1, 1).since("2.6.0").complexity("O(1)")
                .summary("Sets the expiration time of a key in milliseconds.")
                .handler((ctx, argv) -> expire(ctx, argv, ctx.now(), 1)));
        t.add(command("expireat", -3).flags(WRITE, FAST).keys(1, 1, 1).since("1.2.0").complexity("O(1)")
                .summary("Sets the expiration time of a key to a Unix timestamp.")
                .handler((ctx, argv) -> expire(ctx, argv, 0, 1000)));
        t.add(command("pexpireat", -3).flags(WRITE, FAST).keys(1, 1, 1).since("2.6.0").complexity("O(1)")
                .summary("Sets the expiration time of a key to a Unix milliseconds timestamp.")
                .handler((ctx, argv) -> expire(ctx, argv, 0, 1)));
        t.add(command("ttl", 2).flags(READONLY, FAST).keys(1, 1, 1).since("1.0.0").complexity("O(1)")
                .summary("Returns the expiration time in seconds of a key.")
                .handler((ctx, argv) -> ttl(ctx, argv, false, false)));
        t.add(command("pttl", 2).flags(READONLY, FAST).keys(1, 1, 1).since("2.6.0").complexity("O(1)")
                .summary("Returns the expiration time in milliseconds of a key.")
                .handler((ctx, argv) -> ttl(ctx, argv, true, false)));
        t.add(command("expiretime", 2).flags(READONLY, FAST).keys(1, 1, 1).since("7.0.0").complexity("O(1)")
                .summary("Returns the expiration time of a key as a Unix timestamp.")
                .handler((ctx, argv) -> ttl(ctx, argv, false, true)));
        t.add(command("pexpiretime", 2).flags(READONLY, FAST).keys(1, 1, 1).since("7.0.0").complexity("O(1)")
                .summary("Returns the expiration time of a key as a Unix milliseconds timestamp.")
                .handler((ctx, argv) -> ttl(ctx, argv, true, true)));
        t.add(command("persist", 2).flags(WRITE, FAST).keys(1, 1, 1).since("2.2.0").complexity("O(1)")
                .summary("Removes the expiration time of a key.").handler(ExpireCommands::persist));
    }

    /**
     * The four EXPIRE commands: the deadline is basetime + argv[2] * unitMs. Options are parsed
     * before the number, and an overflow is refused, in Redis's order.
     */
    private static void expire(CommandContext ctx, byte[][] argv, long basetime, long unitMs) {
        int flags = parseFlags(argv);
        long when = Args.toLong(argv[2]);
        if (unitMs != 1) {
            if (when > Long.MAX_VALUE / unitMs || when < Long.MIN_VALUE / unitMs) {
                throw invalidExpireTime(ctx);
            }
            when *= unitMs;
        }
        if (when > Long.MAX_VALUE - basetime) {
            throw invalidExpireTime(ctx);
        }
        when += basetime;

        Database db = ctx.db();
        long now = ctx.now();
        KeyEntry e = db.lookupWrite(argv[1], now);
        if (e == null || !flagsAllow(flags, e.expireAt(), when)) {
            ctx.out().integer(0);
            return;
        }
        if (when <= now) {
            db.delete(argv[1], now);
        } else {
            db.setExpireAt(e, when);
        }
        ctx.out().integer(1);
    }

    private static CommandError invalidExpireTime(CommandContext ctx) {
        return new CommandError("ERR invalid expire time in '" + ctx.spec().fullName() + "' command");
    }

    private static int parseFlags(byte[][] argv) {
        int flags = 0;
        for (int i = 3; i < argv.length; i++) {
            if (Args.is(argv[i], "nx")) {
                flags |= NX;
            } else if (Args.is(argv[i], "xx")) {
                flags |= XX;
            } else if (Args.is(argv[i], "gt")) {
                flags |= GT;
            } else if (Args.is(argv[i], "lt")) {
                flags |= LT;
            } else {
                throw new CommandError("ERR Unsupported option " + Args.str(argv[i]));
            }
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            throw NX_CONFLICT;
        }
        if ((flags & (GT | LT)) == (GT | LT)) {
            throw GT_LT_CONFLICT;
        }
        return flags;
    }

    /**
     * Whether the options let the deadline change from current ({@link KeyEntry#NO_EXPIRY} for
     * none) to when. No deadline counts as infinite: GT never beats it, LT always does.
     */
    private static boolean flagsAllow(int flags, long current, long when) {
        boolean persistent = current == KeyEntry.NO_EXPIRY;
        if ((flags & NX) != 0 && !persistent) {
            return false;
        }
        if ((flags & XX) != 0 && persistent) {
            return false;
        }
        if ((flags & GT) != 0 && (persistent || when <= current)) {
            return false;
        }
        return (flags & LT) == 0 || persistent || when < current;
    }

    /**
     * TTL, PTTL (remaining time) and EXPIRETIME, PEXPIRETIME (the absolute deadline): -2 for no
     * key, -1 for no deadline. Seconds are rounded to the nearest, as Redis does.
     */
    private static void ttl(CommandContext ctx, byte[][] argv, boolean millis, boolean absolute) {
        long now = ctx.now();
        KeyEntry e = ctx.db().peek(argv[1], now);
        if (e == null) {
            ctx.out().integer(-2);
            return;
        }
        if (!e.hasExpiry()) {
            ctx.out().integer(-1);
            return;
        }
        long v = absolute ? e.expireAt() : Math.max(0, e.expireAt() - now);
        // Unsigned: v + 500 may pass Long.MAX_VALUE for a deadline near it (v is never negative).
        ctx.out().integer(millis ? v : Long.divideUnsigned(v + 500, 1000));
    }

    private static void persist(CommandContext ctx, byte[][] argv) {
        KeyEntry e = ctx.db().lookupWrite(argv[1], ctx.now());
        if (e == null || !e.hasExpiry()) {
            ctx.out().integer(0);
            return;
        }
        ctx.db().setExpireAt(e, KeyEntry.NO_EXPIRY);
        ctx.out().integer(1);
    }
}
