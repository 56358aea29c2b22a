package io.redraft.store.rdb;

import io.redraft.store.EncodingLimits;
import io.redraft.store.HashValue;
import io.redraft.store.ListValue;
import io.redraft.store.SetEncodingLimits;
import io.redraft.store.SetValue;
import io.redraft.store.SortedSetValue;
import io.redraft.store.ValueType;

/**
 * The value codecs: one object (type byte + value) in RDB encoding, shared by DUMP/RESTORE and
 * any future RDB snapshot. {@link #read} accepts every type byte Redis 7.0 writes (strings;
 * hashes as HASH_LISTPACK or HASH, lists as LIST_QUICKLIST_2, sets as SET_INTSET or SET,
 * sorted sets as ZSET_LISTPACK or ZSET_2) and the ziplist forms of older Redis versions that
 * 7.0 still loads (LIST_QUICKLIST, LIST_ZIPLIST, LIST, HASH_ZIPLIST, ZSET_ZIPLIST); zipmaps,
 * streams and modules are refused. {@link #write}: see {@link RdbCollections}.
 */
public final class RdbValues {
    private RdbValues() {
    }

    /** Writes the type byte and the value. */
    public static void write(RdbEncoder out, Object value) throws UnsupportedTypeException {
        if (value instanceof byte[] s) {
            out.writeType(RdbType.STRING);
            out.writeString(s);
        } else if (value instanceof HashValue h) {
            RdbCollections.writeHash(out, h);
        } else if (value instanceof SetValue s) {
            RdbCollections.writeSet(out, s);
        } else if (value instanceof SortedSetValue z) {
            RdbCollections.writeZset(out, z);
        } else if (value instanceof ListValue l) {
            RdbCollections.writeList(out, l);
        } else {
            throw new UnsupportedTypeException(ValueType.of(value));
        }
    }

    /**
     * The encoding a reader cannot tell from the type byte {@link #write} gives value, or null
     * when the type byte says it all: "hashtable" for a hashtable-encoded set (written as SET,
     * like a listpack set). A snapshot writer stores it next to the key, and its loader reads the
     * key with {@link RdbEncodingChoice#HASHTABLE}.
     */
    public static String encodingHint(Object value) {
        return value instanceof SetValue s && s.encoding().equals("hashtable") ? "hashtable" : null;
    }

    /** Reads one value with the default encoding limits. */
    public static Object read(RdbDecoder in, int type) throws RdbFormatException {
        return read(in, type, EncodingLimits.DEFAULTS, SetEncodingLimits.DEFAULTS);
    }

    /**
     * Reads one value of the given type byte: a {@code byte[]} for strings, else a RedisValue
     * built under the given limits (so its encoding is the one our commands would give it).
     */
    public static Object read(RdbDecoder in, int type, EncodingLimits limits, SetEncodingLimits setLimits)
            throws RdbFormatException {
        return read(in, type, limits, setLimits, RdbEncodingChoice.REBUILD);
    }

    /** Reads one value of the given type byte, its encoding chosen as choice says. */
    public static Object read(RdbDecoder in, int type, EncodingLimits limits, SetEncodingLimits setLimits,
                              RdbEncodingChoice choice) throws RdbFormatException {
        return switch (type) {
            case RdbType.STRING -> in.readString();
            case RdbType.HASH, RdbType.HASH_LISTPACK, RdbType.HASH_ZIPLIST ->
                    RdbCollections.readHash(in, type, limits, choice);
            case RdbType.SET, RdbType.SET_INTSET -> RdbCollections.readSet(in, type, setLimits, choice);
            case RdbType.ZSET_2, RdbType.ZSET_LISTPACK, RdbType.ZSET_ZIPLIST ->
                    RdbCollections.readZset(in, type, setLimits, choice);
            case RdbType.LIST, RdbType.LIST_QUICKLIST_2, RdbType.LIST_QUICKLIST, RdbType.LIST_ZIPLIST ->
                    RdbCollections.readList(in, type, limits);
            default -> throw new RdbFormatException("Unsupported RDB object type " + type);
        };
    }
}
