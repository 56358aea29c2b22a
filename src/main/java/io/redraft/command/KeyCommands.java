package io.redraft.command;

import io.redraft.resp.RespWriter;
import io.redraft.store.Database;
import io.redraft.store.GlobMatcher;
import io.redraft.store.KeyEntry;
import io.redraft.store.ValueType;

import java.util.ArrayList;
import java.util.List;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/**
 * Generic key commands: DEL UNLINK EXISTS TOUCH TYPE KEYS SCAN RANDOMKEY RENAME RENAMENX COPY
 * MOVE SWAPDB. Expiry commands are in {@link ExpireCommands}; OBJECT, DUMP, RESTORE in
 * {@link ObjectCommands}.
 */
final class KeyCommands implements CommandFamily {
    @Override
    public void register(CommandTable t) {
        t.add(command("del", -2).flags(WRITE).keys(1, -1, 1).since("1.0.0")
                .summary("Deletes one or more keys.").complexity("O(N)").handler(KeyCommands::del));
        t.add(command("unlink", -2).flags(WRITE, FAST).keys(1, -1, 1).since("4.0.0")
                .summary("Asynchronously deletes one or more keys.").complexity("O(N)").handler(KeyCommands::del));
        t.add(command("exists", -2).flags(READONLY, FAST).keys(1, -1, 1).since("3.0.3")
                .summary("Determines whether one or more keys exist.").complexity("O(N)").handler(KeyCommands::exists));
        t.add(command("touch", -2).flags(READONLY, FAST).keys(1, -1, 1).since("3.2.1")
                .summary("Returns the number of existing keys out of those specified after updating the time they were last accessed.")
                .complexity("O(N)").handler(KeyCommands::touch));
        t.add(command("type", 2).flags(READONLY, FAST).keys(1, 1, 1).since("1.0.0")
                .summary("Determines the type of value stored at a key.").complexity("O(1)").handler(KeyCommands::type));
        t.add(command("keys", 2).flags(READONLY).since("1.0.0")
                .summary("Returns all key names that match a pattern.").complexity("O(N)").handler(KeyCommands::keys));
        t.add(command("scan", -2).flags(READONLY).since("2.8.0")
                .summary("Iterates over the key names in the database.").complexity("O(1) for every call. O(N) for a complete iteration.")
                .handler(KeyCommands::scan));
        t.add(command("randomkey", 1).flags(READONLY).since("1.0.0")
                .summary("Returns a random key name from the database.").complexity("O(1)").handler(KeyCommands::randomkey));
        t.add(command("rename", 3).flags(WRITE).keys(1, 2, 1).since("1.0.0")
                .summary("Renames a key and overwrites the destination.").complexity("O(1)")
                .handler((ctx, argv) -> rename(ctx, argv, false)));
        t.add(command("renamenx", 3).flags(WRITE, FAST).keys(1, 2, 1).since("1.0.0")
                .summary("Renames a key only when the target key name doesn't exist.").complexity("O(1)")
                .handler((ctx, argv) -> rename(ctx, argv, true)));
        t.add(command("copy", -3).flags(WRITE, DENYOOM).keys(1, 2, 1).since("6.2.0")
                .summary("Copies the value of a key to a new key.").complexity("O(N) worst case for collections")
                .handler(KeyCommands::copy));
        t.add(command("move", 3).flags(WRITE, FAST).keys(1, 1, 1).since("1.0.0")
                .summary("Moves a key to another database.").complexity("O(1)").handler(KeyCommands::move));
        t.add(command("swapdb", 3).flags(WRITE, FAST).since("4.0.0")
                .summary("Swaps two Redis databases.").complexity("O(N)").handler(KeyCommands::swapdb));
    }

    /** DEL and UNLINK (Redraft frees memory the same way for both). */
    private static void del(CommandContext ctx, byte[][] argv) {
        long n = 0;
        for (int i = 1; i < argv.length; i++) {
            if (ctx.db().delete(argv[i], ctx.now())) {
                n++;
            }
        }
        ctx.out().integer(n);
    }

    private static void exists(CommandContext ctx, byte[][] argv) {
        long n = 0;
        for (int i = 1; i < argv.length; i++) {
            if (ctx.db().peek(argv[i], ctx.now()) != null) {
                n++;
            }
        }
        ctx.out().integer(n);
    }

    /** Like EXISTS, but records an access (it is how a client resets OBJECT IDLETIME). */
    private static void touch(CommandContext ctx, byte[][] argv) {
        long n = 0;
        for (int i = 1; i < argv.length; i++) {
            if (ctx.db().lookupRead(argv[i], ctx.now()) != null) {
                n++;
            }
        }
        ctx.out().integer(n);
    }

    private static void type(CommandContext ctx, byte[][] argv) {
        KeyEntry e = ctx.db().peek(argv[1], ctx.now());
        ctx.out().simple(e == null ? "none" : ValueType.of(e.value()).typeName());
    }

    private static void keys(CommandContext ctx, byte[][] argv) {
        byte[] pattern = argv[1];
        boolean all = pattern.length == 1 && pattern[0] == '*';
        long now = ctx.now();
        List<byte[]> found = new ArrayList<>();
        ctx.db().forEachEntry(e -> {
            if (!e.isExpired(now) && (all || GlobMatcher.matches(pattern, e.key(), false))) {
                found.add(e.key());
            }
        });
        writeKeys(ctx.out(), found);
    }

    private static void writeKeys(RespWriter out, List<byte[]> keys) {
        out.arrayHeader(keys.size());
        for (byte[] k : keys) {
            out.bulk(k);
        }
    }

    /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]. */
    private static void scan(CommandContext ctx, byte[][] argv) {
        long cursor = ScanCursor.parse(argv[1]);
        long count = 10;
        byte[] pattern = null;
        String type = null;
        for (int i = 2; i < argv.length; i += 2) {
            boolean hasValue = i + 1 < argv.length;
            if (Args.is(argv[i], "count") && hasValue) {
                count = Args.toLong(argv[i + 1]);
                if (count < 1) {
                    throw CommandError.SYNTAX;
                }
            } else if (Args.is(argv[i], "match") && hasValue) {
                byte[] p = argv[i + 1];
                pattern = p.length == 1 && p[0] == '*' ? null : p;
            } else if (Args.is(argv[i], "type") && hasValue) {
                type = Args.str(argv[i + 1]);
            } else {
                throw CommandError.SYNTAX;
            }
        }
        byte[] match = pattern;
        String wantedType = type;
        List<byte[]> found = new ArrayList<>();
        // Database.scan skips expired keys; MATCH and TYPE filter what a step returned, so a
        // step may return fewer keys than COUNT (or none) with a cursor still to follow.
        long next = ctx.db().scan(cursor, (int) Math.min(count, Integer.MAX_VALUE), ctx.now(), e -> {
            if ((match == null || GlobMatcher.matches(match, e.key(), false))
                    && (wantedType == null || wantedType.equalsIgnoreCase(ValueType.of(e.value()).typeName()))) {
                found.add(e.key());
            }
        });
        RespWriter out = ctx.out();
        out.arrayHeader(2);
        out.bulk(ScanCursor.format(next));
        writeKeys(out, found);
    }

    private static void randomkey(CommandContext ctx, byte[][] argv) {
        KeyEntry e = ctx.db().randomEntry(ctx.random(), ctx.now());
        if (e == null) {
            ctx.out().nullBulk();
        } else {
            ctx.out().bulk(e.key());
        }
    }

    /** RENAME and RENAMENX: the value moves with its deadline. */
    private static void rename(CommandContext ctx, byte[][] argv, boolean nx) {
        Database db = ctx.db();
        long now = ctx.now();
        byte[] src = argv[1];
        byte[] dst = argv[2];
        KeyEntry e = db.lookupWrite(src, now);
        if (e == null) {
            throw CommandError.NO_SUCH_KEY;
        }
        if (java.util.Arrays.equals(src, dst)) {
            reply(ctx, nx, false);
            return;
        }
        if (nx && db.lookupWrite(dst, now) != null) {
            ctx.out().integer(0);
            return;
        }
        Object value = e.value();
        long expireAt = e.expireAt();
        Keys.store(db, dst, value, expireAt, now);
        db.delete(src, now);
        reply(ctx, nx, true);
    }

    private static void reply(CommandContext ctx, boolean nx, boolean renamed) {
        if (nx) {
            ctx.out().integer(renamed ? 1 : 0);
        } else {
            ctx.out().ok();
        }
    }

    /** COPY source destination [DB destination-db] [REPLACE]. */
    private static void copy(CommandContext ctx, byte[][] argv) {
        Database src = ctx.db();
        Database dst = src;
        boolean replace = false;
        for (int i = 3; i < argv.length; i++) {
            if (Args.is(argv[i], "replace")) {
                replace = true;
            } else if (Args.is(argv[i], "db") && i + 1 < argv.length) {
                dst = Keys.database(ctx, argv[++i]);
            } else {
                throw CommandError.SYNTAX;
            }
        }
        byte[] key = argv[1];
        byte[] newKey = argv[2];
        if (src == dst && java.util.Arrays.equals(key, newKey)) {
            throw Keys.SAME_OBJECT;
        }
        long now = ctx.now();
        KeyEntry e = src.lookupWrite(key, now);
        if (e == null || (!replace && dst.lookupWrite(newKey, now) != null)) {
            ctx.out().integer(0);
            return;
        }
        Keys.store(dst, newKey, Keys.duplicate(e.value()), e.expireAt(), now);
        ctx.out().integer(1);
    }

    /** MOVE key db: only if the key is absent there; the deadline moves too. */
    private static void move(CommandContext ctx, byte[][] argv) {
        Database src = ctx.db();
        Database dst = Keys.database(ctx, argv[2]);
        if (src == dst) {
            throw Keys.SAME_OBJECT;
        }
        long now = ctx.now();
        byte[] key = argv[1];
        KeyEntry e = src.lookupWrite(key, now);
        if (e == null || dst.lookupWrite(key, now) != null) {
            ctx.out().integer(0);
            return;
        }
        Keys.store(dst, key, e.value(), e.expireAt(), now);
        src.delete(key, now);
        ctx.out().integer(1);
    }

    private static void swapdb(CommandContext ctx, byte[][] argv) {
        int a = dbIndex(argv[1], "ERR invalid first DB index");
        int b = dbIndex(argv[2], "ERR invalid second DB index");
        int n = ctx.keyspace().databaseCount();
        if (a < 0 || a >= n || b < 0 || b >= n) {
            throw Keys.DB_OUT_OF_RANGE;
        }
        if (a != b) {
            ctx.keyspace().swap(a, b, ctx.now());
        }
        ctx.out().ok();
    }

    private static int dbIndex(byte[] arg, String error) {
        Long v = io.redraft.resp.RedisNumbers.parseLong(arg);
        if (v == null || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new CommandError(error);
        }
        return v.intValue();
    }
}
