package io.redraft.store;

/**
 * One key of a database: its value, its expiry deadline (absolute Unix milliseconds, or
 * {@link #NO_EXPIRY}) and its version, the log index of the last write that changed it
 * (WATCH compares versions, which are the same on every node).
 *
 * <p>The value is a {@code byte[]} for strings (the common case, with no wrapper) or a
 * {@link RedisValue} for every other type.
 */
public final class KeyEntry {
    public static final long NO_EXPIRY = -1;

    final byte[] key;
    final int hash;
    KeyEntry next;
    Object value;
    long expireAt = NO_EXPIRY;
    long version;
    /** Last access time in ms, for OBJECT IDLETIME; not replicated. */
    long accessedAt;
    /**
     * The snapshot epoch ({@link Keyspace#beginSnapshot}) this entry was last written to or
     * excluded from: a running snapshot writes each entry whose mark differs from its epoch exactly
     * once, and entries created while it runs start with its epoch, so they are left out.
     */
    long snapshotEpoch;

    KeyEntry(byte[] key, int hash) {
        this.key = key;
        this.hash = hash;
    }

    public byte[] key() {
        return key;
    }

    public Object value() {
        return value;
    }

    public long expireAt() {
        return expireAt;
    }

    public boolean hasExpiry() {
        return expireAt != NO_EXPIRY;
    }

    public long version() {
        return version;
    }

    /** A snapshot load: the version the key had when the snapshot was taken. */
    public void restoreVersion(long v) {
        this.version = v;
    }

    public long accessedAt() {
        return accessedAt;
    }

    /** Sets the last access time (RESTORE ... IDLETIME); node-local, not replicated. */
    public void accessedAt(long at) {
        this.accessedAt = at;
    }

    public boolean isExpired(long now) {
        return expireAt != NO_EXPIRY && expireAt <= now;
    }
}
