package io.redraft.store;

import java.util.Arrays;

/**
 * The hash-table encoding of a large hash: binary-safe fields mapped to values in chained,
 * power-of-two buckets.
 *
 * <p>A dedicated table rather than a {@code HashMap} for two reasons: HSCAN needs Redis's
 * reverse-binary bucket cursor (an element present for the whole scan is returned even if the
 * table grows or shrinks between calls), and HRANDFIELD needs cheap random sampling. Iteration
 * order depends only on the sequence of operations, so it is the same on every node.
 */
final class FieldTable {
    private static final int MIN_CAPACITY = 16;

    static final class Node {
        final byte[] field;
        final int hash;
        byte[] value;
        Node next;

        Node(byte[] field, int hash, byte[] value) {
            this.field = field;
            this.hash = hash;
            this.value = value;
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
            if (n.hash == h && Arrays.equals(n.field, field)) {
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
        int h = KeyTable.hash(field);
        int slot = h & (table.length - 1);
        n = new Node(field, h, value);
        n.next = table[slot];
        table[slot] = n;
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
            if (n.hash == h && Arrays.equals(n.field, field)) {
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
        Node[] fresh = new Node[capacity];
        int mask = capacity - 1;
        for (Node head : table) {
            Node n = head;
            while (n != null) {
                Node next = n.next;
                int slot = n.hash & mask;
                n.next = fresh[slot];
                fresh[slot] = n;
                n = next;
            }
        }
        table = fresh;
    }

    void forEach(PairVisitor visitor) {
        for (Node head : table) {
            for (Node n = head; n != null; n = n.next) {
                visitor.visit(n.field, n.value);
            }
        }
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
                visitor.visit(n.field, n.value);
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
                Node c = new Node(n.field, n.hash, n.value);
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
