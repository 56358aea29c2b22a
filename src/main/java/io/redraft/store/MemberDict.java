package io.redraft.store;

import java.util.Arrays;
import java.util.HashMap;

/**
 * Members of a large set or sorted set: a hash index over a dense array. The dense array gives
 * O(1) random picks (SPOP, SRANDMEMBER, ZRANDMEMBER) and a scan cursor; removal moves the last
 * slot into the hole. Its order depends only on the sequence of operations, so every node
 * applying the same log sees the same order; a set's snapshot lists members in slot order and
 * its loader re-adds them in that order, so a restored node sees it too.
 *
 * <p>Scan cursor: slots are visited from the top down, and the cursor is the number of slots
 * still to visit. A removal only moves the last slot down, so an element present for the whole
 * scan that was not yet visited can never move above the cursor: it is always returned.
 */
final class MemberDict<V> {
    private final HashMap<MemberKey, Integer> index;
    private byte[][] members;
    private Object[] values;
    private int size;

    MemberDict(int capacity) {
        int c = Math.max(4, capacity);
        index = new HashMap<>(c * 4 / 3 + 1);
        members = new byte[c][];
        values = new Object[c];
    }

    int size() {
        return size;
    }

    boolean contains(byte[] member) {
        return index.containsKey(new MemberKey(member));
    }

    @SuppressWarnings("unchecked")
    V get(byte[] member) {
        Integer slot = index.get(new MemberKey(member));
        return slot == null ? null : (V) values[slot];
    }

    /** Adds member (must be absent) with a non-null value. */
    void add(byte[] member, V value) {
        if (size == members.length) {
            int c = size * 2;
            members = Arrays.copyOf(members, c);
            values = Arrays.copyOf(values, c);
        }
        index.put(new MemberKey(member), size);
        members[size] = member;
        values[size] = value;
        size++;
    }

    /** Replaces the value of a present member in place (its slot, hence scans, unchanged). */
    void replace(byte[] member, V value) {
        values[index.get(new MemberKey(member))] = value;
    }

    /** Removes member; returns its value, or null if it was absent. */
    @SuppressWarnings("unchecked")
    V remove(byte[] member) {
        Integer slot = index.remove(new MemberKey(member));
        if (slot == null) {
            return null;
        }
        V old = (V) values[slot];
        int last = --size;
        if (slot != last) {
            members[slot] = members[last];
            values[slot] = values[last];
            index.put(new MemberKey(members[slot]), slot);
        }
        members[last] = null;
        values[last] = null;
        return old;
    }

    byte[] memberAt(int slot) {
        return members[slot];
    }

    @SuppressWarnings("unchecked")
    V valueAt(int slot) {
        return (V) values[slot];
    }

    /** Visits about count slots from cursor (0 = start); returns the next cursor, 0 when done. */
    long scan(long cursor, int count, java.util.function.IntConsumer slotVisitor) {
        long top = cursor == 0 || cursor > size ? size : cursor;
        long stop = Math.max(0, top - Math.max(1, count));
        for (long s = top - 1; s >= stop; s--) {
            slotVisitor.accept((int) s);
        }
        return stop;
    }
}
