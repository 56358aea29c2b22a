package io.redraft.store.rdb;

import io.redraft.resp.RedisNumbers;
import io.redraft.store.EncodingLimits;
import io.redraft.store.HashValue;
import io.redraft.store.ListValue;
import io.redraft.store.SetEncodingLimits;
import io.redraft.store.SetValue;
import io.redraft.store.SortedSetValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RDB codecs of hashes, lists, sets and sorted sets. Reading accepts the encodings Redis 7.0
 * writes (compact listpack/intset blobs and the plain forms) and builds values through their
 * normal API with our limits, starting from the encoding the {@link RdbEncodingChoice} names
 * (members are added in file order, so a listpack or hashtable set gets back its positions). Writing uses the
 * type Redis 7.0 itself would write for the value's encoding (listpack, intset, quicklist 2 with
 * listpack nodes; HASH, SET, ZSET_2 for the large encodings), which Redis 7.0 loads and
 * re-encodes under its own limits.
 */
final class RdbCollections {
    /** Quicklist node containers in LIST_QUICKLIST_2. */
    private static final int CONTAINER_PLAIN = 1;
    private static final int CONTAINER_PACKED = 2;
    /** Node size DUMP aims for: Redis's default list-max-listpack-size -2 (8 KB). */
    private static final int NODE_BYTES = 8192;
    /** The most a listpack entry adds besides its data: encoding header and backlen, 5 each. */
    private static final int ENTRY_OVERHEAD = 10;

    private RdbCollections() {
    }

    // ---- writing ----

    /** A listpack-encoded hash as HASH_LISTPACK (as Redis writes it), a larger one as HASH. */
    static void writeHash(RdbEncoder out, HashValue h) {
        if (h.encoding().equals("listpack")) {
            ListpackWriter lp = new ListpackWriter();
            h.forEach((f, v) -> {
                lp.add(f);
                lp.add(v);
            });
            out.writeType(RdbType.HASH_LISTPACK);
            out.writeString(lp.toByteArray());
            return;
        }
        out.writeType(RdbType.HASH);
        out.writeLength(h.size());
        h.forEach((f, v) -> {
            out.writeString(f);
            out.writeString(v);
        });
    }

    /**
     * An intset-encoded set as SET_INTSET, any other as SET (Redis 7.0 has no set listpack type;
     * it builds its own encoding from SET on load).
     */
    static void writeSet(RdbEncoder out, SetValue s) {
        if (s.encoding().equals("intset")) {
            long[] v = new long[s.size()];
            int[] i = {0};
            s.forEach(m -> v[i[0]++] = RedisNumbers.parseLong(m));
            out.writeType(RdbType.SET_INTSET);
            out.writeString(Intset.blob(v));
            return;
        }
        out.writeType(RdbType.SET);
        out.writeLength(s.size());
        s.forEach(out::writeString);
    }

    /** A listpack-encoded sorted set as ZSET_LISTPACK (member, score text), a larger one as ZSET_2. */
    static void writeZset(RdbEncoder out, SortedSetValue z) {
        if (z.encoding().equals("listpack")) {
            ListpackWriter lp = new ListpackWriter();
            z.forEach((m, score) -> {
                lp.add(m);
                lp.add(RedisNumbers.formatDouble(score).getBytes(StandardCharsets.US_ASCII));
            });
            out.writeType(RdbType.ZSET_LISTPACK);
            out.writeString(lp.toByteArray());
            return;
        }
        out.writeType(RdbType.ZSET_2);
        out.writeLength(z.size());
        z.forEach((m, score) -> {
            out.writeString(m);
            out.writeBinaryDouble(score);
        });
    }

    /**
     * Lists as LIST_QUICKLIST_2 with listpack nodes of about {@link #NODE_BYTES} each. Plain
     * nodes are not an option for every element: Redis refuses an empty plain node.
     */
    static void writeList(RdbEncoder out, ListValue l) {
        List<byte[]> nodes = new ArrayList<>();
        ListpackWriter[] node = {new ListpackWriter()};
        l.forRange(0, l.size() - 1, e -> {
            if (node[0].count() > 0 && node[0].bytes() + e.length + ENTRY_OVERHEAD > NODE_BYTES) {
                nodes.add(node[0].toByteArray());
                node[0] = new ListpackWriter();
            }
            node[0].add(e);
        });
        nodes.add(node[0].toByteArray());
        out.writeType(RdbType.LIST_QUICKLIST_2);
        out.writeLength(nodes.size());
        for (byte[] lp : nodes) {
            out.writeLength(CONTAINER_PACKED);
            out.writeString(lp);
        }
    }

    // ---- reading ----

    static HashValue readHash(RdbDecoder in, int type, EncodingLimits limits, RdbEncodingChoice choice)
            throws RdbFormatException {
        HashValue h = type == RdbType.HASH && choice != RdbEncodingChoice.REBUILD
                ? HashValue.hashtable() : new HashValue();
        if (type == RdbType.HASH) {
            long n = nonEmpty(in.readLength());
            for (long i = 0; i < n; i++) {
                putField(h, in.readString(), in.readString(), limits);
            }
        } else {
            List<byte[]> e = compactEntries(type, in.readString());
            if (e.size() % 2 != 0) {
                throw new RdbFormatException("Hash listpack with odd entry count");
            }
            nonEmpty(e.size());
            for (int i = 0; i < e.size(); i += 2) {
                putField(h, e.get(i), e.get(i + 1), limits);
            }
        }
        return h;
    }

    private static void putField(HashValue h, byte[] f, byte[] v, EncodingLimits limits) throws RdbFormatException {
        if (!h.put(f, v, limits)) {
            throw new RdbFormatException("Duplicate hash fields detected");
        }
    }

    static SetValue readSet(RdbDecoder in, int type, SetEncodingLimits limits, RdbEncodingChoice choice)
            throws RdbFormatException {
        SetValue s = type != RdbType.SET ? new SetValue() : switch (choice) {
            case REBUILD -> new SetValue();
            case AS_WRITTEN -> SetValue.listpack();
            case HASHTABLE -> SetValue.hashtable();
        };
        if (type == RdbType.SET) {
            long n = nonEmpty(in.readLength());
            for (long i = 0; i < n; i++) {
                addMember(s, in.readString(), limits);
            }
        } else {
            long[] v = Intset.values(in.readString());
            nonEmpty(v.length);
            for (long x : v) {
                addMember(s, Long.toString(x).getBytes(StandardCharsets.US_ASCII), limits);
            }
        }
        return s;
    }

    private static void addMember(SetValue s, byte[] m, SetEncodingLimits limits) throws RdbFormatException {
        if (!s.add(m, limits)) {
            throw new RdbFormatException("Duplicate set members detected");
        }
    }

    static SortedSetValue readZset(RdbDecoder in, int type, SetEncodingLimits limits, RdbEncodingChoice choice)
            throws RdbFormatException {
        SortedSetValue z = type == RdbType.ZSET_2 && choice != RdbEncodingChoice.REBUILD
                ? SortedSetValue.skiplist() : new SortedSetValue();
        if (type == RdbType.ZSET_2) {
            long n = nonEmpty(in.readLength());
            for (long i = 0; i < n; i++) {
                byte[] m = in.readString();
                addScored(z, m, in.readBinaryDouble(), limits);
            }
        } else {
            List<byte[]> e = compactEntries(type, in.readString());
            if (e.size() % 2 != 0) {
                throw new RdbFormatException("Zset listpack with odd entry count");
            }
            nonEmpty(e.size());
            for (int i = 0; i < e.size(); i += 2) {
                Double score = RedisNumbers.parseDouble(e.get(i + 1));
                if (score == null) {
                    throw new RdbFormatException("Bad zset score");
                }
                addScored(z, e.get(i), score, limits);
            }
        }
        return z;
    }

    private static void addScored(SortedSetValue z, byte[] m, double score, SetEncodingLimits limits)
            throws RdbFormatException {
        if (Double.isNaN(score)) {
            throw new RdbFormatException("Zset with NAN score detected");
        }
        if (z.add(m, score, limits) != SortedSetValue.ADDED) {
            throw new RdbFormatException("Duplicate zset fields detected");
        }
    }

    static ListValue readList(RdbDecoder in, int type, EncodingLimits limits) throws RdbFormatException {
        ListValue l = new ListValue();
        if (type == RdbType.LIST) {
            long n = nonEmpty(in.readLength());
            for (long i = 0; i < n; i++) {
                l.push(in.readString(), false, limits);
            }
            return l;
        }
        if (type == RdbType.LIST_ZIPLIST || type == RdbType.LIST_QUICKLIST) {
            long nodes = type == RdbType.LIST_ZIPLIST ? 1 : in.readLength();
            for (long i = 0; i < nodes; i++) {
                for (byte[] e : Ziplist.entries(in.readString())) {
                    l.push(e, false, limits);
                }
            }
            nonEmpty(l.size());
            return l;
        }
        long nodes = in.readLength();
        for (long i = 0; i < nodes; i++) {
            long container = in.readLength();
            byte[] blob = in.readString();
            if (blob.length == 0) {
                throw new RdbFormatException("Empty quicklist node"); // Redis refuses it too
            }
            if (container == CONTAINER_PLAIN) {
                l.push(blob, false, limits);
            } else if (container == CONTAINER_PACKED) {
                // Redis skips empty listpack nodes rather than failing.
                for (byte[] e : Listpack.entries(blob)) {
                    l.push(e, false, limits);
                }
            } else {
                throw new RdbFormatException("Unknown quicklist container " + container);
            }
        }
        nonEmpty(l.size());
        return l;
    }

    /** The entries of a compact blob: a ziplist for the pre-7.0 types, else a listpack. */
    private static List<byte[]> compactEntries(int type, byte[] blob) throws RdbFormatException {
        return type == RdbType.HASH_ZIPLIST || type == RdbType.ZSET_ZIPLIST
                ? Ziplist.entries(blob) : Listpack.entries(blob);
    }

    /** Redis refuses to load an empty collection (it would be a key that cannot exist). */
    private static long nonEmpty(long n) throws RdbFormatException {
        if (n == 0) {
            throw new RdbFormatException("Empty collection");
        }
        return n;
    }
}
