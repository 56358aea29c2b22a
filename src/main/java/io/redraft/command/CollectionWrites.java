package io.redraft.command;

import io.redraft.store.Database;
import io.redraft.store.KeyEntry;
import io.redraft.store.RedisValue;
import io.redraft.store.WrongTypeException;

/**
 * The write-side key handling every collection family shares: find the live entry (deleting it if
 * expired, so all nodes agree), check its type, and after the change either create the key or
 * mark the existing one modified.
 *
 * <p>Creating goes through {@code put(key, value, false)}: the key was absent, so it must not
 * inherit a deadline. Modifying in place keeps the deadline and only stamps the version (WATCH).
 */
final class CollectionWrites {
    private CollectionWrites() {
    }

    /** The live entry at key for a write, or null when absent; WRONGTYPE if it holds another type. */
    static KeyEntry entry(CommandContext ctx, byte[] key, Class<? extends RedisValue> type) {
        KeyEntry e = ctx.db().lookupWrite(key, ctx.now());
        if (e != null && !type.isInstance(e.value())) {
            throw WrongTypeException.INSTANCE;
        }
        return e;
    }

    /**
     * Records a modification of value at key: a new value (entry == null) is stored unless it is
     * empty; an existing one is deleted if it became empty, else its version is stamped.
     */
    static void commit(CommandContext ctx, byte[] key, KeyEntry entry, RedisValue value) {
        Database db = ctx.db();
        if (entry == null) {
            if (!value.isEmpty()) {
                db.put(key, value, false);
            }
        } else {
            db.touch(entry); // counts the change (dirty) and stamps the version even if deleted next
            db.deleteIfEmpty(key, value);
        }
    }

    /**
     * After a write removed elements from the value of an existing entry: deletes the key if the
     * value is now empty, else stamps the entry as modified.
     */
    static void afterRemoval(CommandContext ctx, KeyEntry e, RedisValue value) {
        commit(ctx, e.key(), e, value);
    }

    /**
     * Stores a computed result at dest as a new key (no TTL inherited), or deletes dest when the
     * result is empty, as the *STORE commands do.
     */
    static void storeResult(CommandContext ctx, byte[] dest, RedisValue result) {
        ctx.db().lookupWrite(dest, ctx.now());
        if (result.isEmpty()) {
            ctx.db().delete(dest, ctx.now());
        } else {
            ctx.db().put(dest, result, false);
        }
    }
}
