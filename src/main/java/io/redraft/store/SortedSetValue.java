package io.redraft.store;

import java.util.Arrays;

/**
 * A Redis sorted set, ordered by (score, member bytes), in one of two encodings:
 * <ul>
 * <li>"listpack": few short members: parallel sorted arrays, binary-searched by order and
 * scanned linearly by member;</li>
 * <li>"skiplist": a {@link ZSkipList} with spans (ranks in O(log n)) plus a {@link MemberDict}
 * from member to its node (score lookup in O(1)).</li>
 * </ul>
 * It leaves the listpack at zset-max-listpack-entries / -value ({@link SetEncodingLimits}) and
 * never goes back. Ranks in this API are 0-based, ascending.
 */
public final class SortedSetValue implements RedisValue {
    /** Result of {@link #add}. */
    public static final int ADDED = 1;
    public static final int UPDATED = 2;
    public static final int UNCHANGED = 0;

    /** Receives elements in the order a range visits them. */
    @FunctionalInterface
    public interface Visitor {
        void visit(byte[] member, double score);
    }

    /** A test that holds for a prefix of the order (everything "before" some point). */
    @FunctionalInterface
    public interface Before {
        boolean test(double score, byte[] member);
    }

    // listpack encoding (null when skiplist)
    private byte[][] members = new byte[4][];
    private double[] scores = new double[4];
    private int n;
    // skiplist encoding (null when listpack)
    private ZSkipList zsl;
    private MemberDict<ZSkipList.Node> dict;

    /**
     * An empty sorted set that is a skiplist from the start, whatever its size: what a snapshot
     * loader builds for a value that was a skiplist when written (a sorted set never goes back
     * to a listpack, so one rebuilt under the limits would differ from the original).
     */
    public static SortedSetValue skiplist() {
        SortedSetValue z = new SortedSetValue();
        z.toSkiplist();
        return z;
    }

    @Override
    public ValueType type() {
        return ValueType.ZSET;
    }

    @Override
    public String encoding() {
        return zsl == null ? "listpack" : "skiplist";
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    public int size() {
        return zsl == null ? n : (int) zsl.length();
    }

    /** The member's score, or NaN when absent (a score is never NaN). */
    public double score(byte[] member) {
        if (zsl == null) {
            int i = listIndex(member);
            return i < 0 ? Double.NaN : scores[i];
        }
        ZSkipList.Node node = dict.get(member);
        return node == null ? Double.NaN : node.score;
    }

    public boolean contains(byte[] member) {
        return !Double.isNaN(score(member));
    }

    /**
     * Sets member's score, adding it if absent; returns {@link #ADDED}, {@link #UPDATED} or
     * {@link #UNCHANGED} (same score).
     */
    public int add(byte[] member, double score, SetEncodingLimits limits) {
        double old = score(member);
        if (!Double.isNaN(old)) {
            if (old == score) {
                return UNCHANGED;
            }
            if (zsl != null) {
                // Re-link in the skiplist but keep the dictionary slot, so a ZSCAN in progress
                // still returns this member.
                ZSkipList.Node node = dict.get(member);
                zsl.delete(node.score, node.member);
                dict.replace(member, zsl.insert(score, node.member));
            } else {
                remove(member);
                insert(member, score);
            }
            return UPDATED;
        }
        if (zsl == null && (n + 1 > limits.zsetListpackEntries() || member.length > limits.zsetListpackValue())) {
            toSkiplist();
        }
        insert(member, score);
        return ADDED;
    }

    private void insert(byte[] member, double score) {
        if (zsl != null) {
            dict.add(member, zsl.insert(score, member));
            return;
        }
        // Redis's listpack stores -0 as the integer 0 (a skiplist keeps -0): adding +0.0 does the same.
        double stored = score + 0.0;
        int pos = (int) countBefore((s, m) -> ZSkipList.compare(s, m, stored, member) < 0);
        if (n == members.length) {
            members = Arrays.copyOf(members, n * 2);
            scores = Arrays.copyOf(scores, n * 2);
        }
        System.arraycopy(members, pos, members, pos + 1, n - pos);
        System.arraycopy(scores, pos, scores, pos + 1, n - pos);
        members[pos] = member;
        scores[pos] = stored;
        n++;
    }

    public boolean remove(byte[] member) {
        if (zsl == null) {
            int i = listIndex(member);
            if (i < 0) {
                return false;
            }
            System.arraycopy(members, i + 1, members, i, n - i - 1);
            System.arraycopy(scores, i + 1, scores, i, n - i - 1);
            members[--n] = null;
            return true;
        }
        ZSkipList.Node node = dict.remove(member);
        if (node == null) {
            return false;
        }
        zsl.delete(node.score, node.member);
        return true;
    }

    /** The 0-based ascending rank of member, or -1. */
    public long rank(byte[] member) {
        if (zsl == null) {
            int i = listIndex(member);
            return i;
        }
        ZSkipList.Node node = dict.get(member);
        return node == null ? -1 : zsl.rank(node.score, node.member) - 1;
    }

    /** Number of elements for which before holds; before must hold for a prefix of the order. */
    public long countBefore(Before before) {
        if (zsl != null) {
            return zsl.countBefore(before);
        }
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (before.test(scores[mid], members[mid])) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Ranks [from, from+count) in ascending order if !reverse; descending ranks from, from-1… if reverse. */
    public void visit(long from, long count, boolean reverse, Visitor v) {
        if (count <= 0) {
            return;
        }
        if (zsl == null) {
            for (long k = 0; k < count; k++) {
                int i = (int) (reverse ? from - k : from + k);
                v.visit(members[i], scores[i]);
            }
            return;
        }
        ZSkipList.Node x = zsl.byRank(from + 1);
        for (long k = 0; k < count && x != null; k++) {
            ZSkipList.Node next = reverse ? x.backward : x.forward[0];
            v.visit(x.member, x.score);
            x = next;
        }
    }

    /** Visits every element in ascending order. */
    public void forEach(Visitor v) {
        visit(0, size(), false, v);
    }

    /** The member at 0-based rank. */
    public byte[] memberAt(long rank) {
        return zsl == null ? members[(int) rank] : zsl.byRank(rank + 1).member;
    }

    public double scoreAt(long rank) {
        return zsl == null ? scores[(int) rank] : zsl.byRank(rank + 1).score;
    }

    /** Removes ranks [from, to] (0-based, inclusive); returns how many were removed. */
    public long removeRanks(long from, long to) {
        if (from > to) {
            return 0;
        }
        int count = (int) (to - from + 1);
        byte[][] victims = new byte[count][];
        int[] k = {0};
        visit(from, count, false, (m, s) -> victims[k[0]++] = m);
        for (byte[] m : victims) {
            remove(m);
        }
        return count;
    }

    /** The element at a uniformly chosen position (0..size-1) of the encoding's own order. */
    public byte[] randomMemberAt(int position) {
        return zsl == null ? members[position] : dict.memberAt(position);
    }

    /**
     * One step of ZSCAN: a listpack is returned whole (cursor 0 next), as Redis does; a skiplist
     * is scanned through its dictionary about count members at a time.
     */
    public long scan(long cursor, int count, Visitor v) {
        if (zsl == null) {
            forEach(v);
            return 0;
        }
        return dict.scan(cursor, count, slot -> {
            ZSkipList.Node node = dict.valueAt(slot);
            v.visit(node.member, node.score);
        });
    }

    @Override
    public SortedSetValue copy() {
        SortedSetValue c = new SortedSetValue();
        if (zsl == null) {
            c.members = members.clone();
            c.scores = scores.clone();
            c.n = n;
        } else {
            c.toSkiplist();
            forEach(c::insert);
        }
        return c;
    }

    private int listIndex(byte[] member) {
        for (int i = 0; i < n; i++) {
            if (Arrays.equals(members[i], member)) {
                return i;
            }
        }
        return -1;
    }

    private void toSkiplist() {
        ZSkipList list = new ZSkipList();
        MemberDict<ZSkipList.Node> d = new MemberDict<>(n + 1);
        for (int i = 0; i < n; i++) {
            d.add(members[i], list.insert(scores[i], members[i]));
        }
        zsl = list;
        dict = d;
        members = null;
        scores = null;
        n = 0;
    }
}
