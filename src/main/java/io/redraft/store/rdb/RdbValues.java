package io.redraft.store.rdb;

import io.redraft.store.ValueType;

/**
 * The value codecs: one object (type byte + value) in RDB encoding, shared by DUMP/RESTORE and
 * any future RDB snapshot. Strings are done; to add a type, write it in {@link #write} (any
 * encoding Redis 7.0 loads) and read every {@link RdbType} Redis may produce for it in
 * {@link #read} (7.0 dumps hashes as HASH_LISTPACK or HASH, lists as LIST_QUICKLIST_2, sets as
 * SET_INTSET or SET, sorted sets as ZSET_LISTPACK or ZSET_2).
 */
public final class RdbValues {
    private RdbValues() {
    }

    /** Writes the type byte and the value. */
    public static void write(RdbEncoder out, Object value) throws UnsupportedTypeException {
        if (value instanceof byte[] s) {
            out.writeType(RdbType.STRING);
            out.writeString(s);
            return;
        }
        throw new UnsupportedTypeException(ValueType.of(value));
    }

    /** Reads one value of the given type byte: a {@code byte[]} for strings, else a RedisValue. */
    public static Object read(RdbDecoder in, int type) throws RdbFormatException {
        if (type == RdbType.STRING) {
            return in.readString();
        }
        throw new RdbFormatException("Unsupported RDB object type " + type);
    }
}
