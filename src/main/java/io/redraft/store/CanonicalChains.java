package io.redraft.store;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Keeps a chained power-of-two table in an order that depends only on its content, never on
 * its history (capacity, growth, shrinkage, insertion order).
 *
 * <p>Why: iteration order reaches snapshot files and replies, and the same keyspace must look
 * the same on a node that applied the whole log and on one that loaded a snapshot and built its
 * tables in one pass. A table's capacity is history (it grows at once but shrinks late), so the
 * order must not depend on it either.
 *
 * <p>How: buckets are visited in reverse-binary order (the SCAN cursor order of
 * {@link ReverseBinaryCursor}), which for a table of 2^k buckets is ascending order of the top k
 * bits of the bit-reversed hash; chains are kept sorted by the whole bit-reversed hash, then by
 * key bytes. Together: every entry comes in ascending (reversed hash, key) order, whatever k is.
 * Costs: an insert walks its chain (as the duplicate check does anyway); iteration and resize
 * cost what they did.
 */
final class CanonicalChains {
    private CanonicalChains() {
    }

    /** The bucket a full scan of a table of mask + 1 buckets visits i-th. */
    static int bucketAt(int i, int mask) {
        return mask == 0 ? 0 : Integer.reverse(i) >>> Integer.numberOfLeadingZeros(mask);
    }

    /** The entries' order in every chain (and so, with {@link #bucketAt}, in the whole table). */
    static int compare(ChainedEntry<?> a, ChainedEntry<?> b) {
        int c = Integer.compareUnsigned(Integer.reverse(a.hash), Integer.reverse(b.hash));
        return c != 0 ? c : Arrays.compareUnsigned(a.key, b.key);
    }

    /** Links e (absent from the table) into its bucket at its place in the order. */
    static <E extends ChainedEntry<E>> void insert(E[] table, E e) {
        int slot = e.hash & (table.length - 1);
        E prev = null;
        E at = table[slot];
        while (at != null && compare(at, e) < 0) {
            prev = at;
            at = at.next;
        }
        e.next = at;
        if (prev == null) {
            table[slot] = e;
        } else {
            prev.next = e;
        }
    }

    /**
     * Moves every entry of old into fresh (empty, any power-of-two length) and returns fresh.
     * In table order the entries of any one bucket of any size of table form a single run (they
     * share the top bits of the reversed hash), so appending each run in turn builds every new
     * chain in order, with one tail and no extra memory.
     */
    static <E extends ChainedEntry<E>> E[] rehash(E[] old, E[] fresh) {
        int mask = fresh.length - 1;
        Object[] tail = {null};
        forEach(old, e -> {
            @SuppressWarnings("unchecked")
            E last = (E) tail[0];
            if (last != null && (last.hash & mask) == (e.hash & mask)) {
                last.next = e;
            } else {
                fresh[e.hash & mask] = e;
            }
            e.next = null;
            tail[0] = e;
        });
        return fresh;
    }

    /** Visits every entry in table order; the visitor may relink the entry it is given. */
    static <E extends ChainedEntry<E>> void forEach(E[] table, Consumer<? super E> visitor) {
        int mask = table.length - 1;
        for (int i = 0; i <= mask; i++) {
            E e = table[bucketAt(i, mask)];
            while (e != null) {
                E next = e.next;
                visitor.accept(e);
                e = next;
            }
        }
    }
}
