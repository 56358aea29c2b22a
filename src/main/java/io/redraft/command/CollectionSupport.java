package io.redraft.command;

import io.redraft.store.KeyEntry;
import io.redraft.store.RedisValue;
import io.redraft.store.WrongTypeException;

/** Key handling shared by the set and sorted-set families. */
final class CollectionSupport {
    private CollectionSupport() {
    }

    /** The live entry at key inside a write, or null; WRONGTYPE if it holds another type. */
    static KeyEntry entryForWrite(CommandContext ctx, byte[] key, Class<? extends RedisValue> type) {
        KeyEntry e = ctx.db().lookupWrite(key, ctx.now());
        if (e != null && !type.isInstance(e.value())) {
            throw WrongTypeException.INSTANCE;
        }
        return e;
    }

    /**
     * After a write removed elements from the value at key: deletes the key if the value is
     * now empty, else stamps the entry as modified.
     */
    static void afterRemoval(CommandContext ctx, KeyEntry e, RedisValue value) {
        ctx.db().touch(e);
        ctx.db().deleteIfEmpty(e.key(), value);
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

    /**
     * Parses "numkeys key..." at argv[idx] with SINTERCARD's checks and texts. Returns numkeys.
     */
    static int numKeys(byte[][] argv, int idx) {
        // Redis gives this one text for a non-number too (getRangeLongFromObjectOrReply with msg).
        Long v = io.redraft.resp.RedisNumbers.parseLong(argv[idx]);
        if (v == null || v < 1) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        if (v > argv.length - idx - 1) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        return (int) (long) v;
    }

    /**
     * Key positions of commands with "[dest] numkeys key...": the optional destination at
     * numkeysIdx-1 when withDest, then numkeys keys. A malformed numkeys yields what is valid.
     */
    static CommandSpec.KeyFinder numKeysFinder(int numkeysIdx, boolean withDest) {
        return argv -> {
            if (argv.length <= numkeysIdx) {
                return new int[0];
            }
            Long v = io.redraft.resp.RedisNumbers.parseLong(argv[numkeysIdx]);
            int n = v == null || v < 0 ? 0 : (int) Math.min(v, argv.length - numkeysIdx - 1);
            int off = withDest ? 1 : 0;
            int[] keys = new int[n + off];
            if (withDest) {
                keys[0] = numkeysIdx - 1;
            }
            for (int i = 0; i < n; i++) {
                keys[off + i] = numkeysIdx + 1 + i;
            }
            return keys;
        };
    }
}
