package io.redraft.store;

import java.util.Arrays;

/**
 * The hash-table encoding of a large hash: binary-safe fields mapped to values in chained,
 * power-of-two buckets.
 *
 * <p>A dedicated table rather than a {@code HashMap} for two reasons: HSCAN needs Redis's
 * reverse-binary bucket cursor (an element present for the whole scan is returned even if the
 * table grows or shrinks between calls), and HRANDFIELD needs cheap random sampling. Iteration
 * order is {@link CanonicalChains} order, a function of the fields alone, so a table rebuilt
 * from a snapshot iterates (HGETALL, the next snapshot) exactly as the original. Capacity is
 * still history (it shrinks late), so HSCAN cursors and HRANDFIELD picks, both reads, may differ
 * between such tables.
 */
final class FieldTable {
    private static final int MIN_CAPACITY = 16;

    static final class Node extends ChainedEntry<Node> {
        byte[] value;

        Node(byte[] field, int hash, byte[] value) {
            super(field, hash);
            this.value = value;
        }

        byte[] field() {
            return key;
        }
    }

    private Node[] table;
    private int size;

    FieldTable(int expected) {
        int cap = MIN_CAPACITY;
        while (cap < expected) {
            cap <<= 1;
        }
        table = new Node[cap];
    }

    int size() {
        return size;
    }

    Node find(byte[] field) {
        int h = KeyTable.hash(field);
        for (Node n = table[h & (table.length - 1)]; n != null; n = n.next) {
            if (n.hash == h && Arrays.equals(n.key, field)) {
                return n;
            }
        }
        return null;
    }

    /** Sets field to value; returns true when the field is new. */
    boolean put(byte[] field, byte[] value) {
        Node n = find(field);
        if (n != null) {
            n.value = value;
            return false;
        }
        n = new Node(field, KeyTable.hash(field), value);
        CanonicalChains.insert(table, n);
        if (++size > table.length) {
            resize(table.length << 1);
        }
        return true;
    }

    boolean remove(byte[] field) {
        int h = KeyTable.hash(field);
        int slot = h & (table.length - 1);
        Node prev = null;
        for (Node n = table[slot]; n != null; prev = n, n = n.next) {
            if (n.hash == h && Arrays.equals(n.key, field)) {
                if (prev == null) {
                    table[slot] = n.next;
                } else {
                    prev.next = n.next;
                }
                size--;
                if (table.length > MIN_CAPACITY && size < table.length / 8) {
                    resize(table.length >> 1);
                }
                return true;
            }
        }
        return false;
    }

    private void resize(int capacity) {
        table = CanonicalChains.rehash(table, new Node[capacity]);
    }

    /** Visits every pair in {@link CanonicalChains} order: the same for the same content. */
    void forEach(PairVisitor visitor) {
        CanonicalChains.forEach(table, n -> visitor.visit(n.key, n.value));
    }

    /**
     * Visits the buckets from cursor on until at least count pairs were seen (or the table ends)
     * and returns the next cursor, 0 when done. Same cursor arithmetic as Redis's dictScan.
     */
    long scan(long cursor, long count, PairVisitor visitor) {
        if (size == 0) {
            return 0;
        }
        long v = cursor;
        long seen = 0;
        long budget = Math.max(count, 1) * 10; // bounds the work on a sparse table, as Redis does
        do {
            int mask = table.length - 1;
            for (Node n = table[(int) (v & mask)]; n != null; n = n.next) {
                visitor.visit(n.key, n.value);
                seen++;
            }
            v = ReverseBinaryCursor.next(v, mask);
        } while (v != 0 && seen < count && --budget > 0);
        return v;
    }

    /** A pseudo-random node chosen from the caller's random number; the table must not be empty. */
    Node sample(long random) {
        int mask = table.length - 1;
        int start = (int) (random & mask);
        for (int i = 0; i <= mask; i++) {
            Node n = table[(start + i) & mask];
            if (n != null) {
                int chain = 0;
                for (Node c = n; c != null; c = c.next) {
                    chain++;
                }
                int pick = (int) Long.remainderUnsigned(random >>> 20, chain);
                while (pick-- > 0) {
                    n = n.next;
                }
                return n;
            }
        }
        throw new IllegalStateException("sample of an empty table");
    }

    FieldTable copy() {
        FieldTable t = new FieldTable(0);
        t.table = new Node[table.length];
        for (int i = 0; i < table.length; i++) {
            Node tail = null;
            for (Node n = table[i]; n != null; n = n.next) {
                Node c = new Node(n.key, n.hash, n.value);
                if (tail == null) {
                    t.table[i] = c;
                } else {
                    tail.next = c;
                }
                tail = c;
            }
        }
        t.size = size;
        return t;
    }
}
