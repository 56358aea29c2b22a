package io.redraft.store;

import io.redraft.resp.RedisNumbers;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A Redis set in one of three encodings, as OBJECT ENCODING names them:
 * <ul>
 * <li>"intset": only integers, few of them: a sorted long[] (members are their decimal form);</li>
 * <li>"listpack": few short members: an array in insertion order, searched linearly;</li>
 * <li>"hashtable": a {@link MemberDict}.</li>
 * </ul>
 * A set only moves up this list as it grows (never back), at the thresholds of
 * {@link SetEncodingLimits}, as Redis does. Every encoding has positions 0..size-1, which
 * random picks use.
 */
public final class SetValue implements RedisValue {
    private static final int INTSET = 0;
    private static final int LISTPACK = 1;
    private static final int HASHTABLE = 2;
    /** The dictionary's value for every member (a set has none; non-null marks presence). */
    private static final Object PRESENT = Boolean.TRUE;

    private int encoding = INTSET;
    private long[] ints = new long[4];
    private byte[][] list;
    private MemberDict<Object> dict;
    private int size;

    /**
     * An empty set that starts as a listpack rather than an intset: integer members stay in it in
     * insertion order (it still becomes a hashtable past the limits). What a snapshot loader
     * builds for a listpack-encoded set, which may hold integers only (a string was removed).
     */
    public static SetValue listpack() {
        SetValue s = new SetValue();
        s.convert(LISTPACK);
        return s;
    }

    /** An empty set that is a hashtable from the start, whatever its size or members. */
    public static SetValue hashtable() {
        SetValue s = new SetValue();
        s.convert(HASHTABLE);
        return s;
    }

    @Override
    public ValueType type() {
        return ValueType.SET;
    }

    @Override
    public String encoding() {
        return switch (encoding) {
            case INTSET -> "intset";
            case LISTPACK -> "listpack";
            default -> "hashtable";
        };
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    public int size() {
        return encoding == HASHTABLE ? dict.size() : size;
    }

    public boolean contains(byte[] member) {
        switch (encoding) {
            case INTSET: {
                Long v = RedisNumbers.parseLong(member);
                return v != null && Arrays.binarySearch(ints, 0, size, v) >= 0;
            }
            case LISTPACK:
                return listIndex(member) >= 0;
            default:
                return dict.contains(member);
        }
    }

    /** Adds member; returns false if it was already there. Converts encodings as Redis does. */
    public boolean add(byte[] member, SetEncodingLimits limits) {
        if (encoding == INTSET) {
            Long v = RedisNumbers.parseLong(member);
            if (v != null) {
                int pos = Arrays.binarySearch(ints, 0, size, v);
                if (pos >= 0) {
                    return false;
                }
                pos = -pos - 1;
                if (size == ints.length) {
                    ints = Arrays.copyOf(ints, Math.max(4, size * 2));
                }
                System.arraycopy(ints, pos, ints, pos + 1, size - pos);
                ints[pos] = v;
                size++;
                if (size > limits.intsetEntries()) {
                    convert(HASHTABLE);
                }
                return true;
            }
            // A non-integer: to a listpack if everything fits one, else straight to a hashtable.
            if (size < limits.setListpackEntries() && member.length <= limits.setListpackValue()
                    && longestIntLength() <= limits.setListpackValue()) {
                convert(LISTPACK);
            } else {
                convert(HASHTABLE);
            }
        }
        if (encoding == LISTPACK) {
            if (listIndex(member) >= 0) {
                return false;
            }
            if (size < limits.setListpackEntries() && member.length <= limits.setListpackValue()) {
                if (size == list.length) {
                    list = Arrays.copyOf(list, Math.max(4, size * 2));
                }
                list[size++] = member;
                return true;
            }
            convert(HASHTABLE);
        }
        if (dict.contains(member)) {
            return false;
        }
        dict.add(member, PRESENT);
        return true;
    }

    public boolean remove(byte[] member) {
        switch (encoding) {
            case INTSET: {
                Long v = RedisNumbers.parseLong(member);
                int pos = v == null ? -1 : Arrays.binarySearch(ints, 0, size, v);
                if (pos < 0) {
                    return false;
                }
                System.arraycopy(ints, pos + 1, ints, pos, size - pos - 1);
                size--;
                return true;
            }
            case LISTPACK: {
                int pos = listIndex(member);
                if (pos < 0) {
                    return false;
                }
                System.arraycopy(list, pos + 1, list, pos, size - pos - 1);
                list[--size] = null;
                return true;
            }
            default:
                return dict.remove(member) != null;
        }
    }

    /** The member at position i (0 <= i < size); positions are what random picks draw from. */
    public byte[] memberAt(int i) {
        return switch (encoding) {
            case INTSET -> Long.toString(ints[i]).getBytes(StandardCharsets.US_ASCII);
            case LISTPACK -> list[i];
            default -> dict.memberAt(i);
        };
    }

    /** Visits every member: intsets in numeric order, listpacks in insertion order. */
    public void forEach(Consumer<byte[]> visitor) {
        int n = size();
        for (int i = 0; i < n; i++) {
            visitor.accept(memberAt(i));
        }
    }

    /**
     * One step of SSCAN. Compact encodings are returned whole in the first call (cursor 0 next),
     * as Redis does; a hashtable is scanned about count members at a time.
     */
    public long scan(long cursor, int count, Consumer<byte[]> visitor) {
        if (encoding != HASHTABLE) {
            forEach(visitor);
            return 0;
        }
        return dict.scan(cursor, count, slot -> visitor.accept(dict.memberAt(slot)));
    }

    @Override
    public SetValue copy() {
        SetValue c = new SetValue();
        c.encoding = encoding;
        c.size = size;
        c.ints = ints.clone();
        if (list != null) {
            c.list = list.clone();
        }
        if (dict != null) {
            c.dict = new MemberDict<>(dict.size());
            for (int i = 0; i < dict.size(); i++) {
                c.dict.add(dict.memberAt(i), PRESENT);
            }
        }
        return c;
    }

    private int listIndex(byte[] member) {
        for (int i = 0; i < size; i++) {
            if (Arrays.equals(list[i], member)) {
                return i;
            }
        }
        return -1;
    }

    /** Length of the longest decimal form among the intset's members (its extremes). */
    private int longestIntLength() {
        if (size == 0) {
            return 0;
        }
        return Math.max(Long.toString(ints[0]).length(), Long.toString(ints[size - 1]).length());
    }

    private void convert(int target) {
        int n = size;
        byte[][] members = new byte[n][];
        for (int i = 0; i < n; i++) {
            members[i] = memberAt(i);
        }
        if (target == LISTPACK) {
            list = Arrays.copyOf(members, Math.max(4, n + 1));
        } else {
            dict = new MemberDict<>(n + 1);
            for (byte[] m : members) {
                dict.add(m, PRESENT);
            }
            list = null;
        }
        ints = new long[0];
        encoding = target;
    }
}
