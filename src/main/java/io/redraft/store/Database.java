package io.redraft.store;

import java.util.function.Consumer;

/**
 * One numbered database: keys with values, deadlines and versions.
 *
 * <p>Two kinds of lookup keep expiry deterministic under Raft. {@link #lookupRead} (reads,
 * served locally on any node) treats a key past its deadline as absent but never deletes it.
 * {@link #lookupWrite} (inside the apply of a log entry, whose "now" is the entry's timestamp)
 * deletes an expired key, so every node deletes it at the same point of the log.
 */
public final class Database {
    private final int id;
    private final Keyspace keyspace;
    private KeyTable table = new KeyTable();

    Database(int id, Keyspace keyspace) {
        this.id = id;
        this.keyspace = keyspace;
    }

    public int id() {
        return id;
    }

    public int size() {
        return table.size();
    }

    public int expiringCount() {
        return table.expiringCount();
    }

    KeyTable table() {
        return table;
    }

    /** Sizes the table for {@code keys} keys ahead of a bulk load; see {@link KeyTable#reserve}. */
    public void reserve(long keys) {
        table.reserve(keys);
    }

    void swapTables(Database other) {
        KeyTable t = table;
        table = other.table;
        other.table = t;
    }

    /** The live entry for key as a reader sees it at time now, or null. Never mutates. */
    public KeyEntry lookupRead(byte[] key, long now) {
        KeyEntry e = table.get(key);
        if (e == null || e.isExpired(now)) {
            return null;
        }
        e.accessedAt = now;
        return e;
    }

    /**
     * The live entry for key at now without recording an access, or null; never mutates.
     * For commands Redis runs with LOOKUP_NOTOUCH (EXISTS, TYPE, TTL, OBJECT), so they do not
     * reset the idle time OBJECT IDLETIME reports.
     */
    public KeyEntry peek(byte[] key, long now) {
        KeyEntry e = table.get(key);
        return e == null || e.isExpired(now) ? null : e;
    }

    /** The live entry for key inside a write at time now, deleting it first if it expired. */
    public KeyEntry lookupWrite(byte[] key, long now) {
        KeyEntry e = table.get(key);
        if (e != null) {
            // The caller may change the value in place: a running snapshot copies it first.
            beforeChange(e);
        }
        if (e != null && e.isExpired(now)) {
            removeEntry(key);
            keyspace.stats.expiredKeys++;
            return null;
        }
        if (e != null) {
            e.accessedAt = now;
        }
        return e;
    }

    /** The string at key for a reader, or null; WRONGTYPE if another type is there. */
    public byte[] getString(byte[] key, long now) {
        KeyEntry e = lookupRead(key, now);
        if (e == null) {
            return null;
        }
        if (!(e.value instanceof byte[])) {
            throw WrongTypeException.INSTANCE;
        }
        return (byte[]) e.value;
    }

    /** The value of the given type at key for a reader, or null; WRONGTYPE if another type. */
    public <T extends RedisValue> T getValue(byte[] key, long now, Class<T> type) {
        KeyEntry e = lookupRead(key, now);
        return e == null ? null : cast(e, type);
    }

    /** As {@link #getValue} but inside a write (deletes an expired key first). */
    public <T extends RedisValue> T getValueForWrite(byte[] key, long now, Class<T> type) {
        KeyEntry e = lookupWrite(key, now);
        return e == null ? null : cast(e, type);
    }

    private static <T extends RedisValue> T cast(KeyEntry e, Class<T> type) {
        if (!type.isInstance(e.value)) {
            throw WrongTypeException.INSTANCE;
        }
        return type.cast(e.value);
    }

    /**
     * Stores value at key (a write). With keepTtl false the key loses any deadline, as SET does;
     * commands that modify a value in place pass true.
     */
    public KeyEntry put(byte[] key, Object value, boolean keepTtl) {
        KeyEntry e = table.getOrCreate(key);
        if (e.value == null) {
            e.snapshotEpoch = keyspace.snapshotEpoch; // created now: not part of a running snapshot
            // A new key counts as accessed now. accessedAt is node-local LRU metadata (OBJECT
            // IDLETIME), never replicated or compared, so the local clock is allowed here.
            e.accessedAt = System.currentTimeMillis();
        } else {
            beforeChange(e);
        }
        e.value = value;
        if (!keepTtl && e.expireAt != KeyEntry.NO_EXPIRY) {
            table.setExpireAt(e, KeyEntry.NO_EXPIRY);
        }
        touch(e);
        if (value instanceof ListValue || value instanceof SortedSetValue) {
            // Every way a list or sorted set reaches a key (push, ZADD, RENAME, RESTORE, MOVE…)
            // passes here: clients blocked on the key are served at the end of this entry.
            keyspace.waiters().signal(id, key);
        }
        return e;
    }

    /** Marks an entry as modified by the write being applied (for WATCH and for persistence). */
    public void touch(KeyEntry e) {
        e.version = keyspace.applyIndex();
        keyspace.dirty++;
    }

    /** Sets or clears (NO_EXPIRY) a key's deadline, as a write. */
    public void setExpireAt(KeyEntry e, long deadline) {
        beforeChange(e);
        table.setExpireAt(e, deadline);
        touch(e);
    }

    /** Deletes key if it is live at now (a write). Returns whether a live key was deleted. */
    public boolean delete(byte[] key, long now) {
        KeyEntry e = lookupWrite(key, now);
        if (e == null) {
            return false;
        }
        removeEntry(key);
        keyspace.dirty++;
        return true;
    }

    /** Deletes the key if its value became an empty collection (Redis never keeps empty ones). */
    public void deleteIfEmpty(byte[] key, RedisValue value) {
        if (value.isEmpty()) {
            removeEntry(key);
        }
    }

    KeyEntry removeEntry(byte[] key) {
        if (keyspace.snapshotHook != null) {
            KeyEntry old = table.get(key);
            if (old != null) {
                beforeChange(old);
            }
        }
        KeyEntry e = table.remove(key);
        if (e != null) {
            keyspace.notifyRemoved(this, e);
        }
        return e;
    }

    /**
     * Copy-on-write for a running snapshot: hands e to it before a write changes, expires or
     * removes it, unless the snapshot already has it or e was created after it began. With no
     * snapshot running this is one field check.
     */
    private void beforeChange(KeyEntry e) {
        SnapshotHook hook = keyspace.snapshotHook;
        if (hook != null && keyspace.claimForSnapshot(e)) {
            hook.beforeChange(table, e);
        }
    }

    /**
     * Removes every key (a write). The database gets a fresh table, so a running snapshot keeps
     * scanning the old one, which nothing changes any more (no copy-on-write needed).
     */
    public void clear() {
        keyspace.watchLedger().flushing(this, keyspace.applyIndex());
        keyspace.dirty += table.size();
        table = new KeyTable();
    }

    /** Scans live keys (at now) from cursor; see {@link KeyTable#scan}. */
    public long scan(long cursor, int count, long now, Consumer<KeyEntry> visitor) {
        return table.scan(cursor, count, e -> {
            if (!e.isExpired(now)) {
                visitor.accept(e);
            }
        });
    }

    /** Visits every key present, expired or not; read-only. */
    public void forEachEntry(Consumer<KeyEntry> visitor) {
        table.forEach(visitor);
    }

    /** A random live key at now, or null; tries a bounded number of samples. */
    public KeyEntry randomEntry(java.util.random.RandomGenerator random, long now) {
        for (int i = 0; i < 100 && table.size() > 0; i++) {
            KeyEntry e = table.sample(random.nextLong());
            if (e != null && !e.isExpired(now)) {
                return e;
            }
        }
        return null;
    }

    /** A random entry that carries a deadline, or null; for the active expiry cycle. */
    KeyEntry sampleExpiring(java.util.random.RandomGenerator random) {
        if (table.expiringCount() == 0) {
            return null;
        }
        for (int i = 0; i < 20; i++) {
            KeyEntry e = table.sample(random.nextLong());
            if (e != null && e.hasExpiry()) {
                return e;
            }
        }
        return null;
    }
}
