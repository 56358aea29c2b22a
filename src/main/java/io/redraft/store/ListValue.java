package io.redraft.store;

import java.util.Arrays;

/**
 * A Redis list: a doubly linked chain of small array nodes (Redis's quicklist idea), each node
 * bounded by {@code list-max-listpack-size} (an entry count when positive, 4–64 KiB of encoded
 * size when -1..-5).
 *
 * <p>A small list is a single node with no bound and reports the "listpack" encoding, as Redis
 * 7.2+ does. When an insert would take that node past the limit the list becomes a "quicklist"
 * (the node keeps its elements and later inserts open new nodes or split full ones); when
 * deletions leave one node at half the limit or less it becomes a listpack again, the
 * hysteresis Redis uses to avoid flapping. Sizes are estimated with listpack's entry layout
 * from element lengths only, so every node computes the same encoding for the same operations.
 *
 * <p>Blocking commands: this class knows nothing of waiters. Every push goes through
 * ListCommands' push helpers, which are the one place to signal "key has data" to a future
 * blocking layer (Redis's signalKeyAsReady).
 *
 * <p>Element arrays are never modified in place, so {@link #copy()} may share them.
 */
public final class ListValue implements RedisValue {
    /** listpack header (6 bytes) plus terminator. */
    private static final int NODE_OVERHEAD = 7;

    private static final class Node {
        byte[][] items;
        int count;
        long bytes = NODE_OVERHEAD;
        Node prev;
        Node next;

        Node(int capacity) {
            items = new byte[Math.max(4, capacity)][];
        }
    }

    /** Visits elements with their index (LINDEX numbering); return false to stop. */
    @FunctionalInterface
    public interface IndexedVisitor {
        boolean visit(long index, byte[] element);
    }

    /** Receives elements in order. */
    @FunctionalInterface
    public interface ElementVisitor {
        void visit(byte[] element);
    }

    private Node head;
    private Node tail;
    private int nodeCount;
    private long size;
    private boolean packed = true;

    // Result of locate(): filled in place so lookups allocate nothing.
    private Node locNode;
    private int locOffset;

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    @Override
    public String encoding() {
        return packed ? "listpack" : "quicklist";
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    public long size() {
        return size;
    }

    /** Number of nodes (for tests of the quicklist shape). */
    int nodeCount() {
        return nodeCount;
    }

    @Override
    public ListValue copy() {
        ListValue l = new ListValue();
        for (Node n = head; n != null; n = n.next) {
            Node c = l.appendNode(l.tail, n.count);
            System.arraycopy(n.items, 0, c.items, 0, n.count);
            c.count = n.count;
            c.bytes = n.bytes;
        }
        l.size = size;
        l.packed = packed;
        return l;
    }

    /** Estimated encoded size of one element in a listpack: header, payload, back-length. */
    static int entryBytes(byte[] v) {
        int len = v.length;
        int header = len < 64 ? 1 : len < 4096 ? 2 : 5;
        int entry = header + len;
        int back = entry <= 127 ? 1 : entry < 16383 ? 2 : entry < 2097151 ? 3 : entry < 268435455 ? 4 : 5;
        return entry + back;
    }

    // ---- node plumbing -------------------------------------------------------------------

    private static boolean allows(Node n, int add, EncodingLimits lim) {
        return n.bytes + add <= lim.listNodeBytes() && n.count + 1 <= lim.listNodeEntries();
    }

    /** Links a new empty node after prev (null: at the head). */
    private Node appendNode(Node prev, int capacity) {
        Node n = new Node(capacity);
        n.prev = prev;
        n.next = prev == null ? head : prev.next;
        if (n.next != null) {
            n.next.prev = n;
        } else {
            tail = n;
        }
        if (prev != null) {
            prev.next = n;
        } else {
            head = n;
        }
        nodeCount++;
        return n;
    }

    private void unlink(Node n) {
        if (n.prev != null) {
            n.prev.next = n.next;
        } else {
            head = n.next;
        }
        if (n.next != null) {
            n.next.prev = n.prev;
        } else {
            tail = n.prev;
        }
        nodeCount--;
    }

    private void nodeInsert(Node n, int off, byte[] v, int add) {
        if (n.count == n.items.length) {
            n.items = Arrays.copyOf(n.items, n.items.length * 2);
        }
        System.arraycopy(n.items, off, n.items, off + 1, n.count - off);
        n.items[off] = v;
        n.count++;
        n.bytes += add;
        size++;
    }

    private void nodeRemove(Node n, int off) {
        n.bytes -= entryBytes(n.items[off]);
        System.arraycopy(n.items, off + 1, n.items, off, n.count - off - 1);
        n.items[--n.count] = null;
        size--;
        if (n.count == 0) {
            unlink(n);
        }
    }

    /** Inserts v before position off of node n (off == n.count: after its last element). */
    private void insertAt(Node n, int off, byte[] v, EncodingLimits lim) {
        int add = entryBytes(v);
        if (n == null) {
            n = appendNode(null, 4);
            off = 0;
        }
        if (packed) {
            if (allows(n, add, lim)) {
                nodeInsert(n, off, v, add);
                return;
            }
            packed = false; // listpack -> quicklist; the node keeps its elements
        }
        if (allows(n, add, lim)) {
            nodeInsert(n, off, v, add);
        } else if (off == 0 && n.prev != null && allows(n.prev, add, lim)) {
            nodeInsert(n.prev, n.prev.count, v, add);
        } else if (off == n.count && n.next != null && allows(n.next, add, lim)) {
            nodeInsert(n.next, 0, v, add);
        } else if (off == 0) {
            nodeInsert(appendNode(n.prev, 4), 0, v, add);
        } else if (off == n.count) {
            nodeInsert(appendNode(n, 4), 0, v, add);
        } else {
            // Split the full node at off: the tail half moves to a new node after it.
            int moved = n.count - off;
            Node m = appendNode(n, moved + 1);
            System.arraycopy(n.items, off, m.items, 0, moved);
            for (int i = off; i < n.count; i++) {
                m.bytes += entryBytes(n.items[i]);
                n.items[i] = null;
            }
            n.bytes -= m.bytes - NODE_OVERHEAD;
            n.count = off;
            m.count = moved;
            if (allows(n, add, lim)) {
                nodeInsert(n, off, v, add);
            } else if (allows(m, add, lim)) {
                nodeInsert(m, 0, v, add);
            } else {
                nodeInsert(appendNode(n, 4), 0, v, add);
            }
        }
    }

    /** After deletions: one small node becomes a listpack again (at half the limit, hysteresis). */
    private void maybeRepack(EncodingLimits lim) {
        if (!packed && nodeCount <= 1
                && (head == null || (head.bytes <= lim.listNodeBytes() / 2 && head.count <= lim.listNodeEntries() / 2))) {
            packed = true;
        }
    }

    /** Sets locNode/locOffset to the element at index 0 <= index < size. */
    private void locate(long index) {
        if (index < size / 2) {
            Node n = head;
            while (index >= n.count) {
                index -= n.count;
                n = n.next;
            }
            locNode = n;
            locOffset = (int) index;
        } else {
            long fromEnd = size - 1 - index;
            Node n = tail;
            while (fromEnd >= n.count) {
                fromEnd -= n.count;
                n = n.prev;
            }
            locNode = n;
            locOffset = n.count - 1 - (int) fromEnd;
        }
    }

    /** index as a position 0..size-1 (negative counts from the tail), or -1 when out of range. */
    private long normalise(long index) {
        long i = index < 0 ? size + index : index;
        return i < 0 || i >= size ? -1 : i;
    }

    // ---- operations ------------------------------------------------------------------------

    public void push(byte[] v, boolean atHead, EncodingLimits lim) {
        if (atHead) {
            insertAt(head, 0, v, lim);
        } else {
            insertAt(tail, tail == null ? 0 : tail.count, v, lim);
        }
    }

    /** Removes and returns the head or tail element, or null when empty. */
    public byte[] pop(boolean atHead, EncodingLimits lim) {
        if (size == 0) {
            return null;
        }
        Node n = atHead ? head : tail;
        int off = atHead ? 0 : n.count - 1;
        byte[] v = n.items[off];
        nodeRemove(n, off);
        maybeRepack(lim);
        return v;
    }

    /** The element at index (negative counts from the tail), or null when out of range. */
    public byte[] get(long index) {
        long i = normalise(index);
        if (i < 0) {
            return null;
        }
        locate(i);
        return locNode.items[locOffset];
    }

    /** Replaces the element at index; false when out of range. */
    public boolean set(long index, byte[] v, EncodingLimits lim) {
        long i = normalise(index);
        if (i < 0) {
            return false;
        }
        locate(i);
        Node n = locNode;
        n.bytes += entryBytes(v) - entryBytes(n.items[locOffset]);
        n.items[locOffset] = v;
        if (packed && n.bytes > lim.listNodeBytes()) {
            packed = false;
        } else {
            maybeRepack(lim);
        }
        return true;
    }

    /**
     * Inserts v before or after the first element equal to pivot (from the head). Returns false
     * when there is no such element.
     */
    public boolean insertNextTo(byte[] pivot, byte[] v, boolean after, EncodingLimits lim) {
        for (Node n = head; n != null; n = n.next) {
            for (int i = 0; i < n.count; i++) {
                if (Arrays.equals(n.items[i], pivot)) {
                    insertAt(n, after ? i + 1 : i, v, lim);
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Removes elements equal to v: up to count from the head (count > 0), up to -count from the
     * tail (count < 0), or all (0). Returns how many were removed.
     */
    public long remove(byte[] v, long count, EncodingLimits lim) {
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        long removed = 0;
        if (count >= 0) {
            Node n = head;
            while (n != null && removed < limit) {
                Node next = n.next;
                for (int i = 0; i < n.count && removed < limit; ) {
                    if (Arrays.equals(n.items[i], v)) {
                        nodeRemove(n, i);
                        removed++;
                    } else {
                        i++;
                    }
                }
                n = next;
            }
        } else {
            Node n = tail;
            while (n != null && removed < limit) {
                Node prev = n.prev;
                for (int i = n.count - 1; i >= 0 && removed < limit; i--) {
                    if (Arrays.equals(n.items[i], v)) {
                        nodeRemove(n, i);
                        removed++;
                    }
                }
                n = prev;
            }
        }
        maybeRepack(lim);
        return removed;
    }

    /** Removes fromHead elements at the head and fromTail at the tail (LTRIM, counts clamped). */
    public void trim(long fromHead, long fromTail, EncodingLimits lim) {
        fromHead = Math.min(fromHead, size);
        while (fromHead > 0) {
            Node n = head;
            if (n.count <= fromHead) {
                fromHead -= n.count;
                size -= n.count;
                unlink(n);
            } else {
                int k = (int) fromHead;
                for (int i = 0; i < k; i++) {
                    n.bytes -= entryBytes(n.items[i]);
                }
                System.arraycopy(n.items, k, n.items, 0, n.count - k);
                Arrays.fill(n.items, n.count - k, n.count, null);
                n.count -= k;
                size -= k;
                fromHead = 0;
            }
        }
        fromTail = Math.min(fromTail, size);
        while (fromTail > 0) {
            Node n = tail;
            if (n.count <= fromTail) {
                fromTail -= n.count;
                size -= n.count;
                unlink(n);
            } else {
                int k = (int) fromTail;
                for (int i = n.count - k; i < n.count; i++) {
                    n.bytes -= entryBytes(n.items[i]);
                    n.items[i] = null;
                }
                n.count -= k;
                size -= k;
                fromTail = 0;
            }
        }
        maybeRepack(lim);
    }

    /** Visits elements start..end (inclusive, both within 0..size-1) from head to tail. */
    public void forRange(long start, long end, ElementVisitor visitor) {
        if (start > end || start >= size) {
            return;
        }
        locate(start);
        Node n = locNode;
        int off = locOffset;
        for (long left = end - start + 1; left > 0; left--) {
            if (off == n.count) {
                n = n.next;
                off = 0;
            }
            visitor.visit(n.items[off++]);
        }
    }

    /** Visits elements from the head (or the tail) with their LINDEX index until told to stop. */
    public void visit(boolean fromTail, IndexedVisitor visitor) {
        if (!fromTail) {
            long index = 0;
            for (Node n = head; n != null; n = n.next) {
                for (int i = 0; i < n.count; i++) {
                    if (!visitor.visit(index++, n.items[i])) {
                        return;
                    }
                }
            }
        } else {
            long index = size - 1;
            for (Node n = tail; n != null; n = n.prev) {
                for (int i = n.count - 1; i >= 0; i--) {
                    if (!visitor.visit(index--, n.items[i])) {
                        return;
                    }
                }
            }
        }
    }
}
