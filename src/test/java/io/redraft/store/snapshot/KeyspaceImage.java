package io.redraft.store.snapshot;

import io.redraft.store.Keyspace;
import io.redraft.store.rdb.DumpPayload;
import io.redraft.store.rdb.RdbFormatException;
import io.redraft.store.rdb.UnsupportedTypeException;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deep, comparable copy of a keyspace: "db/key" to the key's deadline and DUMP payload. Each
 * value goes through DUMP, RESTORE and DUMP again, so two keyspaces holding the same data compare
 * equal even when one was rebuilt by a loader and the other shrank past an encoding threshold
 * (Redis keeps a hashtable that shrank; a loader builds the compact encoding).
 */
final class KeyspaceImage {
    private KeyspaceImage() {
    }

    static Map<String, String> of(Keyspace ks) {
        return of(ks, false);
    }

    /**
     * With setsUnordered, sets compare as sorted member lists: for comparisons with redis-server,
     * whose sets are hash tables in its own order.
     */
    static Map<String, String> of(Keyspace ks, boolean setsUnordered) {
        Map<String, String> image = new TreeMap<>();
        for (int d = 0; d < ks.databaseCount(); d++) {
            int db = d;
            ks.db(d).forEachEntry(e -> {
                String key = db + "/" + new String(e.key(), StandardCharsets.UTF_8);
                image.put(key, describe(e.expireAt(), e.value(), setsUnordered));
            });
        }
        return image;
    }

    /** One key's image: its deadline (-1 for none) and its canonical value. */
    static String describe(long expireAt, Object value, boolean setsUnordered) {
        if (setsUnordered && value instanceof io.redraft.store.SetValue set) {
            java.util.List<String> members = new java.util.ArrayList<>();
            set.forEach(m -> members.add(HexFormat.of().formatHex(m)));
            java.util.Collections.sort(members);
            return expireAt + " set " + String.join(",", members);
        }
        return expireAt + " " + canonical(value);
    }

    /** Fails naming the keys that differ (values abbreviated), not with two whole images. */
    static void assertSame(Map<String, String> expected, Map<String, String> actual, String what) {
        java.util.List<String> diffs = new java.util.ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String k : keys) {
            String a = expected.get(k);
            String b = actual.get(k);
            if (!java.util.Objects.equals(a, b)) {
                diffs.add(k + ": expected " + abbreviate(a) + " got " + abbreviate(b));
            }
        }
        if (!diffs.isEmpty()) {
            throw new AssertionError(what + ": " + diffs.size() + " keys differ: "
                    + String.join("; ", diffs.subList(0, Math.min(10, diffs.size()))));
        }
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 60 ? s : s.substring(0, 60) + "...(" + s.length() + ")";
    }

    private static String canonical(Object value) {
        try {
            Object rebuilt = DumpPayload.restore(DumpPayload.dump(value));
            if (rebuilt instanceof io.redraft.store.HashValue h && h.encoding().equals("hashtable")) {
                // Our field tables iterate in an order fixed by their content, but redis-server's
                // follow its own layout: compare the pairs sorted.
                java.util.List<String> pairs = new java.util.ArrayList<>();
                h.forEach((f, v) -> pairs.add(HexFormat.of().formatHex(f) + "=" + HexFormat.of().formatHex(v)));
                java.util.Collections.sort(pairs);
                return "hashtable " + String.join(",", pairs);
            }
            return HexFormat.of().formatHex(DumpPayload.dump(rebuilt));
        } catch (UnsupportedTypeException | RdbFormatException e) {
            throw new AssertionError(e);
        }
    }
}
