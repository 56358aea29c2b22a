package io.redraft.store;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The hash table behind one database: binary-safe keys, one entry per key holding the value,
 * the expiry deadline and the key's version, so a lookup touches one object.
 *
 * <p>Chained buckets in a power-of-two table. {@link #scan} walks buckets in reverse-binary
 * order (as Redis's dictScan does), so a key present for the whole scan is returned at least
 * once even if the table grows or shrinks between calls. Chains are in {@link CanonicalChains}
 * order, so scans, {@link #forEach} and hence snapshot files list keys in an order that depends
 * only on which keys there are. Not thread-safe: the keyspace thread
 * owns it.
 */
public final class KeyTable {
    private static final int MIN_CAPACITY = 16;

    private KeyEntry[] table = new KeyEntry[MIN_CAPACITY];
    private int size;
    private int expiringCount;

    public int size() {
        return size;
    }

    /** Number of keys that carry an expiry deadline. */
    public int expiringCount() {
        return expiringCount;
    }

    public static int hash(byte[] key) {
        int h = 0x811c9dc5;
        for (byte b : key) {
            h = (h ^ b) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    public KeyEntry get(byte[] key) {
        int h = hash(key);
        for (KeyEntry e = table[h & (table.length - 1)]; e != null; e = e.next) {
            if (e.hash == h && Arrays.equals(e.key, key)) {
                return e;
            }
        }
        return null;
    }

    /** Returns the entry for key, creating an empty one (value null) if absent. */
    public KeyEntry getOrCreate(byte[] key) {
        int h = hash(key);
        int slot = h & (table.length - 1);
        for (KeyEntry e = table[slot]; e != null; e = e.next) {
            if (e.hash == h && Arrays.equals(e.key, key)) {
                return e;
            }
        }
        KeyEntry e = new KeyEntry(key, h);
        CanonicalChains.insert(table, e);
        if (++size > table.length) {
            resize(table.length << 1);
        }
        return e;
    }

    public KeyEntry remove(byte[] key) {
        int h = hash(key);
        int slot = h & (table.length - 1);
        KeyEntry prev = null;
        for (KeyEntry e = table[slot]; e != null; prev = e, e = e.next) {
            if (e.hash == h && Arrays.equals(e.key, key)) {
                if (prev == null) {
                    table[slot] = e.next;
                } else {
                    prev.next = e.next;
                }
                e.next = null;
                size--;
                if (e.expireAt != KeyEntry.NO_EXPIRY) {
                    expiringCount--;
                }
                if (table.length > MIN_CAPACITY && size < table.length / 8) {
                    resize(table.length >> 1);
                }
                return e;
            }
        }
        return null;
    }

    /** Sets or clears (NO_EXPIRY) the deadline of an entry that is in this table. */
    public void setExpireAt(KeyEntry e, long deadline) {
        if ((e.expireAt == KeyEntry.NO_EXPIRY) != (deadline == KeyEntry.NO_EXPIRY)) {
            expiringCount += deadline == KeyEntry.NO_EXPIRY ? -1 : 1;
        }
        e.expireAt = deadline;
    }

    public void clear() {
        table = new KeyEntry[MIN_CAPACITY];
        size = 0;
        expiringCount = 0;
    }

    /**
     * Grows the table at once to the size that {@code keys} inserts would grow it to, so a bulk
     * load (a snapshot) does not rehash everything at each doubling. Chains stay in canonical
     * order, so the result is the same as growing step by step.
     */
    public void reserve(long keys) {
        long wanted = Math.min(1L << 30, Math.max(MIN_CAPACITY, Long.highestOneBit(Math.max(1, keys - 1)) << 1));
        if (wanted > table.length) {
            resize((int) wanted);
        }
    }

    private void resize(int capacity) {
        table = CanonicalChains.rehash(table, new KeyEntry[capacity]);
    }

    /**
     * Visits every entry of the buckets at cursor, then returns the next cursor (0 when done).
     * Visits buckets until at least {@code count} entries were seen or the scan ends.
     */
    public long scan(long cursor, int count, Consumer<KeyEntry> visitor) {
        if (size == 0) {
            return 0;
        }
        long v = cursor;
        int seen = 0;
        do {
            int mask = table.length - 1;
            for (KeyEntry e = table[(int) (v & mask)]; e != null; e = e.next) {
                visitor.accept(e);
                seen++;
            }
            v = ReverseBinaryCursor.next(v, mask);
        } while (v != 0 && seen < count);
        return v;
    }

    /** A bucket chosen by the caller's random number, or null when the table is empty. */
    public KeyEntry sample(long random) {
        if (size == 0) {
            return null;
        }
        int mask = table.length - 1;
        int start = (int) (random & mask);
        for (int i = 0; i <= mask; i++) {
            KeyEntry e = table[(start + i) & mask];
            if (e != null) {
                // Walk a chain-length-dependent step so long chains are not always answered by their head.
                int depth = (int) ((random >>> 32) & 7);
                KeyEntry pick = e;
                for (int d = 0; d < depth && pick.next != null; d++) {
                    pick = pick.next;
                }
                return pick;
            }
        }
        return null;
    }

    /** Visits every entry; the visitor must not modify the table. */
    public void forEach(Consumer<KeyEntry> visitor) {
        CanonicalChains.forEach(table, visitor);
    }
}
