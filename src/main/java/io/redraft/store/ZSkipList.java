package io.redraft.store;

import java.util.Arrays;

/**
 * The ordered half of a large sorted set: a skiplist ordered by (score, member) whose links carry
 * spans (how many elements each link skips), so that rank lookups, rank-of-element and counting
 * the elements before a bound are O(log n), as in Redis's zskiplist. Ranks here are 1-based,
 * as in Redis; {@link SortedSetValue} converts to 0-based.
 */
final class ZSkipList {
    static final int MAX_LEVEL = 32;

    static final class Node {
        final byte[] member;
        final double score;
        Node backward;
        final Node[] forward;
        final long[] span;

        Node(int level, double score, byte[] member) {
            this.member = member;
            this.score = score;
            this.forward = new Node[level];
            this.span = new long[level];
        }
    }

    private final Node header = new Node(MAX_LEVEL, 0, null);
    private Node tail;
    private long length;
    private int level = 1;
    /**
     * Level choice only shapes the list, never its contents or order, so a fixed-seed generator
     * suffices (and keeps even the shape identical on every node).
     */
    private long seed = 0x2545F4914F6CDD1DL;
    /** Scratch for insert/delete, reused: only the keyspace thread touches a list. */
    private final Node[] update = new Node[MAX_LEVEL];
    private final long[] rank = new long[MAX_LEVEL];

    long length() {
        return length;
    }

    Node first() {
        return header.forward[0];
    }

    Node last() {
        return tail;
    }

    static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        if (s1 < s2) {
            return -1;
        }
        if (s1 > s2) {
            return 1;
        }
        return Arrays.compareUnsigned(m1, m2);
    }

    private int randomLevel() {
        int lvl = 1;
        while (lvl < MAX_LEVEL) {
            seed ^= seed << 13;
            seed ^= seed >>> 7;
            seed ^= seed << 17;
            if ((seed & 0xFFFF) >= 0xFFFF / 4) { // p = 1/4, as Redis's ZSKIPLIST_P
                break;
            }
            lvl++;
        }
        return lvl;
    }

    /** Inserts an element that is not present. */
    Node insert(double score, byte[] member) {
        Node[] update = this.update;
        long[] rank = this.rank;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (x.forward[i] != null && compare(x.forward[i].score, x.forward[i].member, score, member) < 0) {
                rank[i] += x.span[i];
                x = x.forward[i];
            }
            update[i] = x;
        }
        int lvl = randomLevel();
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                update[i].span[i] = length;
            }
            level = lvl;
        }
        x = new Node(lvl, score, member);
        for (int i = 0; i < lvl; i++) {
            x.forward[i] = update[i].forward[i];
            update[i].forward[i] = x;
            x.span[i] = update[i].span[i] - (rank[0] - rank[i]);
            update[i].span[i] = (rank[0] - rank[i]) + 1;
        }
        for (int i = lvl; i < level; i++) {
            update[i].span[i]++;
        }
        x.backward = update[0] == header ? null : update[0];
        if (x.forward[0] != null) {
            x.forward[0].backward = x;
        } else {
            tail = x;
        }
        length++;
        return x;
    }

    /** Deletes the element (score, member); returns whether it was found. */
    boolean delete(double score, byte[] member) {
        Node[] update = this.update;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && compare(x.forward[i].score, x.forward[i].member, score, member) < 0) {
                x = x.forward[i];
            }
            update[i] = x;
        }
        x = x.forward[0];
        if (x == null || compare(x.score, x.member, score, member) != 0) {
            return false;
        }
        for (int i = 0; i < level; i++) {
            if (update[i].forward[i] == x) {
                update[i].span[i] += x.span[i] - 1;
                update[i].forward[i] = x.forward[i];
            } else {
                update[i].span[i]--;
            }
        }
        if (x.forward[0] != null) {
            x.forward[0].backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && header.forward[level - 1] == null) {
            level--;
        }
        length--;
        return true;
    }

    /** How many elements satisfy before (a prefix of the order). */
    long countBefore(SortedSetValue.Before before) {
        long rank = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && before.test(x.forward[i].score, x.forward[i].member)) {
                rank += x.span[i];
                x = x.forward[i];
            }
        }
        return rank;
    }

    /** The 1-based rank of a present element. */
    long rank(double score, byte[] member) {
        return countBefore((s, m) -> compare(s, m, score, member) <= 0);
    }

    /** The node at 1-based rank, or null. */
    Node byRank(long rank) {
        if (rank < 1 || rank > length) {
            return null;
        }
        long traversed = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && traversed + x.span[i] <= rank) {
                traversed += x.span[i];
                x = x.forward[i];
            }
            if (traversed == rank) {
                return x;
            }
        }
        return null;
    }
}
