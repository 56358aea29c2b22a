package io.redraft.store;

/**
 * What WATCH needs to decide, when an EXEC is applied, whether a watched key changed after the
 * log index at which it was watched. Every input is the applied log itself (entry indexes and
 * timestamps), never a node's clock or its clients, so every node reaches the same decision.
 *
 * <p>A key that is still present answers by its {@link KeyEntry#version() version}. A key that
 * is gone leaves no version behind, so each removal records the removed entry's version in a
 * fixed table of buckets indexed by a hash of (db, key): memory stays bounded and nothing has to
 * be pruned; a collision can only make a transaction abort, never let a changed key through.
 * Recording the version (not the removal's index) is what Redis 7.0 does with stale keys: a key
 * already expired when it was watched counts as absent, and its later deletion is no change.
 *
 * <p>FLUSHDB, FLUSHALL and SWAPDB record the keys they remove or move in the same buckets, key by
 * key while the databases involved are small; past {@link #ITERATION_LIMIT} keys they instead
 * stamp the whole database, which makes every older watch on it count as changed (conservative
 * and O(1), like Redis's own flushes and swaps).
 *
 * <p>The buckets and stamps are keyspace state: a snapshot of the keyspace must carry them.
 */
public final class WatchLedger {
    static final int BUCKETS = 1 << 16;
    /** Databases at most this large are recorded key by key when flushed or swapped. */
    static final int ITERATION_LIMIT = 1 << 16;

    /** Per (db, key) hash: the highest "changed at" index among keys of that bucket that left. */
    private final long[] buckets = new long[BUCKETS];
    /** Per database: index of the last flush/swap recorded as a whole-database change. */
    private final long[] resetAt;

    WatchLedger(int databaseCount) {
        resetAt = new long[databaseCount];
    }

    /**
     * True if the key changed after index since, as seen at time now (the EXEC entry's
     * timestamp). wasLive says whether the key existed and had not expired when it was watched:
     * Redis 7.0 treats such a key that has expired since as modified.
     */
    public boolean changedSince(Database db, byte[] key, long since, boolean wasLive, long now) {
        if (resetAt[db.id()] > since || buckets[bucket(db.id(), KeyTable.hash(key))] > since) {
            return true;
        }
        KeyEntry e = db.table().get(key);
        if (e != null && e.version > since) {
            return true;
        }
        return wasLive && (e == null || e.isExpired(now));
    }

    /** A key left db (deleted, expired, overwritten by RENAME...): remember when it last changed. */
    void removed(Database db, KeyEntry e) {
        record(db.id(), e.hash, e.version);
    }

    /** FLUSHDB/FLUSHALL of db at index: every key present leaves with its version. */
    void flushing(Database db, long index) {
        if (db.size() > ITERATION_LIMIT) {
            resetAt[db.id()] = index;
            return;
        }
        db.table().forEach(e -> record(db.id(), e.hash, e.version));
    }

    /**
     * SWAPDB a b at index and time now: a key live in either database is touched in both (Redis
     * 7.0's touchAllWatchedKeysInDb); a key already expired moves without touching anyone.
     */
    void swapping(Database a, Database b, long index, long now) {
        if ((long) a.size() + b.size() > ITERATION_LIMIT) {
            resetAt[a.id()] = index;
            resetAt[b.id()] = index;
            return;
        }
        touchLive(a, a, b, index, now);
        touchLive(b, a, b, index, now);
    }

    private void touchLive(Database from, Database a, Database b, long index, long now) {
        from.table().forEach(e -> {
            if (!e.isExpired(now)) {
                record(a.id(), e.hash, index);
                record(b.id(), e.hash, index);
            }
        });
    }

    private void record(int db, int hash, long changedAt) {
        int i = bucket(db, hash);
        if (buckets[i] < changedAt) {
            buckets[i] = changedAt;
        }
    }

    private static int bucket(int db, int keyHash) {
        int h = keyHash ^ (db * 0x9E3779B9);
        h ^= h >>> 15;
        h *= 0x2C1B3C6D;
        h ^= h >>> 12;
        return h & (BUCKETS - 1);
    }

    /** Snapshot form: the per-database stamps, then the non-empty buckets as (bucket, index) pairs. */
    public byte[] encode() {
        int used = 0;
        for (long b : buckets) {
            if (b != 0) {
                used++;
            }
        }
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(4 + 8 * resetAt.length + 4 + 12 * used);
        out.putInt(resetAt.length);
        for (long r : resetAt) {
            out.putLong(r);
        }
        out.putInt(used);
        for (int i = 0; i < BUCKETS; i++) {
            if (buckets[i] != 0) {
                out.putInt(i).putLong(buckets[i]);
            }
        }
        return out.array();
    }

    /** Forgets everything (before a snapshot replaces the keyspace). */
    public void clear() {
        java.util.Arrays.fill(buckets, 0);
        java.util.Arrays.fill(resetAt, 0);
    }

    /** Replaces the ledger with an encoded one; throws IllegalArgumentException if it is malformed. */
    public void restore(byte[] data) {
        clear();
        try {
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(data);
            int dbs = in.getInt();
            for (int i = 0; i < dbs; i++) {
                long r = in.getLong();
                if (i < resetAt.length) {
                    resetAt[i] = r;
                }
            }
            int used = in.getInt();
            for (int k = 0; k < used; k++) {
                int i = in.getInt();
                buckets[i] = in.getLong();
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed watch ledger: " + e);
        }
    }
}
