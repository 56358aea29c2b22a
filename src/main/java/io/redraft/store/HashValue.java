package io.redraft.store;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A Redis hash. Small hashes are a "listpack": one flat array of alternating field and value
 * arrays in insertion order, searched linearly, which costs two references per pair. Past
 * {@code hash-max-listpack-entries} pairs, or when a field or value is longer than
 * {@code hash-max-listpack-value} bytes, the hash converts for good to a {@link FieldTable}
 * ("hashtable"). Like Redis, it never converts back.
 *
 * <p>Field and value arrays are never modified in place (a write stores a new array), so
 * {@link #copy()} may share them.
 */
public final class HashValue implements RedisValue {
    /** listpack encoding: pairs[2i] is a field, pairs[2i+1] its value; null once converted. */
    private byte[][] pairs;
    private int packedSize;
    /** hashtable encoding; null while packed. */
    private FieldTable table;

    public HashValue() {
        pairs = new byte[8][];
    }

    /**
     * An empty hash that is a hashtable from the start, whatever its size: what a snapshot loader
     * builds for a value that was a hashtable when written (a hash never converts back).
     */
    public static HashValue hashtable() {
        HashValue h = new HashValue();
        h.pairs = null;
        h.table = new FieldTable(0);
        return h;
    }

    @Override
    public ValueType type() {
        return ValueType.HASH;
    }

    @Override
    public String encoding() {
        return table == null ? "listpack" : "hashtable";
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    public int size() {
        return table == null ? packedSize : table.size();
    }

    @Override
    public HashValue copy() {
        HashValue h = new HashValue();
        if (table == null) {
            h.pairs = Arrays.copyOf(pairs, pairs.length);
            h.packedSize = packedSize;
        } else {
            h.pairs = null;
            h.table = table.copy();
        }
        return h;
    }

    private int indexOf(byte[] field) {
        for (int i = 0, n = packedSize * 2; i < n; i += 2) {
            if (Arrays.equals(pairs[i], field)) {
                return i;
            }
        }
        return -1;
    }

    /** The value of field, or null. */
    public byte[] get(byte[] field) {
        if (table != null) {
            FieldTable.Node n = table.find(field);
            return n == null ? null : n.value;
        }
        int i = indexOf(field);
        return i < 0 ? null : pairs[i + 1];
    }

    public boolean contains(byte[] field) {
        return get(field) != null;
    }

    /** Sets field to value, converting the encoding if limits require; true when the field is new. */
    public boolean put(byte[] field, byte[] value, EncodingLimits limits) {
        if (table == null) {
            if (!limits.hashFitsValue(field.length) || !limits.hashFitsValue(value.length)) {
                convert();
            } else {
                int i = indexOf(field);
                if (i >= 0) {
                    pairs[i + 1] = value;
                    return false;
                }
                if (limits.hashFitsEntries(packedSize + 1)) {
                    if (packedSize * 2 == pairs.length) {
                        pairs = Arrays.copyOf(pairs, pairs.length * 2);
                    }
                    pairs[packedSize * 2] = field;
                    pairs[packedSize * 2 + 1] = value;
                    packedSize++;
                    return true;
                }
                convert();
            }
        }
        return table.put(field, value);
    }

    /** Removes field; true when it was present. */
    public boolean remove(byte[] field) {
        if (table != null) {
            return table.remove(field);
        }
        int i = indexOf(field);
        if (i < 0) {
            return false;
        }
        int n = packedSize * 2;
        System.arraycopy(pairs, i + 2, pairs, i, n - i - 2);
        pairs[n - 2] = null;
        pairs[n - 1] = null;
        packedSize--;
        return true;
    }

    private void convert() {
        FieldTable t = new FieldTable(packedSize + 1);
        for (int i = 0, n = packedSize * 2; i < n; i += 2) {
            t.put(pairs[i], pairs[i + 1]);
        }
        table = t;
        pairs = null;
        packedSize = 0;
    }

    /** Visits every pair: insertion order while packed, {@link FieldTable#forEach} order once a hashtable. */
    public void forEach(PairVisitor visitor) {
        if (table != null) {
            table.forEach(visitor);
            return;
        }
        for (int i = 0, n = packedSize * 2; i < n; i += 2) {
            visitor.visit(pairs[i], pairs[i + 1]);
        }
    }

    /**
     * One HSCAN step. A packed hash is returned whole with cursor 0, as Redis does for listpacks;
     * a hashtable uses the reverse-binary bucket cursor. Since a hash only ever converts from
     * packed to hashtable, a scan that got a non-zero cursor always continues on a hashtable.
     */
    public long scan(long cursor, long count, PairVisitor visitor) {
        if (table == null) {
            forEach(visitor);
            return 0;
        }
        return table.scan(cursor, count, visitor);
    }

    /** A random pair: writes field to out[0] and value to out[1]. The hash must not be empty. */
    public void randomPair(RandomGenerator random, byte[][] out) {
        if (table != null) {
            FieldTable.Node n = table.sample(random.nextLong());
            out[0] = n.field();
            out[1] = n.value;
            return;
        }
        int i = random.nextInt(packedSize) * 2;
        out[0] = pairs[i];
        out[1] = pairs[i + 1];
    }

    /**
     * Visits count distinct random pairs (count < size), as HRANDFIELD with a positive count.
     * Like Redis: when count is a large share of the hash, a partial shuffle of a copy; when it is
     * small, repeated sampling until enough distinct fields were drawn (fields are unique arrays
     * inside the table, so identity tells them apart without hashing their bytes).
     */
    public void randomDistinct(RandomGenerator random, int count, PairVisitor visitor) {
        int size = size();
        if (table == null || (long) count * 3 > size) {
            byte[][] all = toFlatArray();
            for (int i = 0; i < count; i++) {
                int j = i + random.nextInt(size - i);
                byte[] f = all[2 * j];
                byte[] v = all[2 * j + 1];
                all[2 * j] = all[2 * i];
                all[2 * j + 1] = all[2 * i + 1];
                visitor.visit(f, v);
            }
            return;
        }
        java.util.Set<byte[]> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>(count * 2));
        while (seen.size() < count) {
            FieldTable.Node n = table.sample(random.nextLong());
            if (seen.add(n.field())) {
                visitor.visit(n.field(), n.value);
            }
        }
    }

    /** All pairs, flattened as field, value, field, value… in iteration order. */
    private byte[][] toFlatArray() {
        if (table == null) {
            return Arrays.copyOf(pairs, packedSize * 2);
        }
        byte[][] out = new byte[table.size() * 2][];
        int[] at = {0};
        table.forEach((f, v) -> {
            out[at[0]++] = f;
            out[at[0]++] = v;
        });
        return out;
    }
}
