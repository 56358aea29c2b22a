package io.redraft.command;

import io.redraft.store.Database;
import io.redraft.store.KeyEntry;
import io.redraft.store.RedisValue;

import java.util.Arrays;

/** Key-level helpers shared by RENAME, COPY, MOVE and RESTORE. */
final class Keys {
    static final CommandError DB_OUT_OF_RANGE = new CommandError("ERR DB index is out of range");
    static final CommandError SAME_OBJECT = new CommandError("ERR source and destination objects are the same");

    private Keys() {
    }

    /** The database named by a DB index argument (MOVE, COPY ... DB). */
    static Database database(CommandContext ctx, byte[] arg) {
        int id = Args.toInt(arg);
        if (id < 0 || id >= ctx.keyspace().databaseCount()) {
            throw DB_OUT_OF_RANGE;
        }
        return ctx.keyspace().db(id);
    }

    /**
     * Creates key in db with value and deadline (or {@link KeyEntry#NO_EXPIRY}), first deleting
     * whatever was there, as Redis's dbDelete + dbAdd + setExpire do: removal listeners hear of
     * the old value, and the new key gets a fresh version.
     */
    static KeyEntry store(Database db, byte[] key, Object value, long expireAt, long now) {
        db.delete(key, now);
        KeyEntry e = db.put(key, value, false);
        if (expireAt != KeyEntry.NO_EXPIRY) {
            db.setExpireAt(e, expireAt);
        }
        return e;
    }

    /** An independent copy of a value (COPY): strings are copied too, in case a command edits one in place. */
    static Object duplicate(Object value) {
        return value instanceof byte[] s ? Arrays.copyOf(s, s.length) : ((RedisValue) value).copy();
    }
}
