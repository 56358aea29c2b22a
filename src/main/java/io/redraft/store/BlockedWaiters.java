package io.redraft.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The clients blocked in BLPOP, BZPOPMIN… as replicated state: every node registers the same
 * waiters at the same log entries, in the same order, so every node serves the same waiter
 * when a key becomes ready. Nothing here is node-local; which session to answer is decided by
 * the node that owns the waiter, from the owner fields.
 *
 * <p>Keys become ready when a list or sorted set is stored at a key someone waits on (the
 * keyspace signals from {@link Database#put}); the apply loop takes them, in the order they
 * became ready, at the end of the entry (Redis's handleClientsBlockedOnKeys).
 */
public final class BlockedWaiters {
    /**
     * One blocked command. id = the log index of the entry that blocked; deadline = absolute
     * milliseconds from that entry's timestamp, 0 for never; owner = the node incarnation (its
     * run id) and that node's client id.
     */
    public record Waiter(long id, int db, byte[][] keys, byte[][] argv, long deadline, String ownerRun,
                         long ownerClient) {
        /** Whether the waiter's time had run out at now (an entry timestamp). */
        public boolean expiredAt(long now) {
            return deadline != 0 && now >= deadline;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Waiter w && w.id == id && w.db == db && Arrays.deepEquals(w.keys, keys)
                    && Arrays.deepEquals(w.argv, argv) && w.deadline == deadline && w.ownerRun.equals(ownerRun)
                    && w.ownerClient == ownerClient;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(id);
        }

        @Override
        public String toString() {
            return "Waiter[" + id + " db" + db + " deadline=" + deadline + " owner=" + ownerRun + "/" + ownerClient + "]";
        }
    }

    /** A key of one database, with content equality. */
    public record DbKey(int db, byte[] key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof DbKey k && k.db == db && Arrays.equals(k.key, key);
        }

        @Override
        public int hashCode() {
            return 31 * db + Arrays.hashCode(key);
        }
    }

    private final TreeMap<Long, Waiter> byId = new TreeMap<>();
    /** Per key, its waiters first come first served. */
    private final Map<DbKey, ArrayDeque<Waiter>> byKey = new HashMap<>();
    /** Keys signalled during the entry being applied, in signal order, each once. */
    private LinkedHashSet<DbKey> ready = new LinkedHashSet<>();

    public int size() {
        return byId.size();
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    public Waiter get(long id) {
        return byId.get(id);
    }

    /** Every waiter, oldest first. */
    public Collection<Waiter> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    public void add(Waiter w) {
        byId.put(w.id(), w);
        for (byte[] k : w.keys()) {
            byKey.computeIfAbsent(new DbKey(w.db(), k), x -> new ArrayDeque<>()).addLast(w);
        }
    }

    /** Removes the waiter from every key it waits on; null when it is not (or no longer) here. */
    public Waiter remove(long id) {
        Waiter w = byId.remove(id);
        if (w == null) {
            return null;
        }
        for (byte[] k : w.keys()) {
            DbKey dk = new DbKey(w.db(), k);
            ArrayDeque<Waiter> q = byKey.get(dk);
            if (q != null) {
                q.remove(w);
                if (q.isEmpty()) {
                    byKey.remove(dk);
                }
            }
        }
        return w;
    }

    /** The waiters on a key, oldest first, as a snapshot (serving changes the queue). */
    public List<Waiter> waitersOn(DbKey key) {
        ArrayDeque<Waiter> q = byKey.get(key);
        return q == null ? List.of() : new ArrayList<>(q);
    }

    /**
     * Moves a waiter to the back of one key's queue: Redis does this to a client blocked for
     * another type than the key now holds, so the next round does not meet it first again.
     */
    public void rotateToTail(DbKey key, Waiter w) {
        ArrayDeque<Waiter> q = byKey.get(key);
        if (q != null && q.remove(w)) {
            q.addLast(w);
        }
    }

    /** A value was stored at key: ready if someone waits on it (cheap when nobody waits). */
    public void signal(int db, byte[] key) {
        if (byId.isEmpty()) {
            return;
        }
        DbKey dk = new DbKey(db, key);
        if (byKey.containsKey(dk)) {
            ready.add(dk);
        }
    }

    /**
     * Every waited key of db may hold something new (SWAPDB): all become ready; serving checks
     * each, in waiter order so the result does not depend on hash order.
     */
    public void signalDatabase(int db) {
        for (Waiter w : byId.values()) {
            if (w.db() == db) {
                for (byte[] k : w.keys()) {
                    ready.add(new DbKey(db, k));
                }
            }
        }
    }

    public boolean hasReady() {
        return !ready.isEmpty();
    }

    /** The keys signalled so far, in order; later signals start a new round. */
    public List<DbKey> takeReady() {
        List<DbKey> round = new ArrayList<>(ready);
        ready = new LinkedHashSet<>();
        return round;
    }

    /** Forgets pending signals (a new entry starts with none). */
    public void clearReady() {
        if (!ready.isEmpty()) {
            ready = new LinkedHashSet<>();
        }
    }

    /** Forgets every waiter (a snapshot is about to replace the state). */
    public void clear() {
        byId.clear();
        byKey.clear();
        ready = new LinkedHashSet<>();
    }

    /**
     * The whole state as bytes, for snapshots: the waiters oldest first, then each key's queue
     * (its order can differ from age after a rotation). Deterministic: keys in sorted order.
     */
    public byte[] encode() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        try {
            out.writeInt(byId.size());
            for (Waiter w : byId.values()) {
                out.writeLong(w.id());
                out.writeInt(w.db());
                out.writeLong(w.deadline());
                out.writeUTF(w.ownerRun());
                out.writeLong(w.ownerClient());
                writeArray(out, w.keys());
                writeArray(out, w.argv());
            }
            List<DbKey> keys = sortedKeys();
            out.writeInt(keys.size());
            for (DbKey k : keys) {
                out.writeInt(k.db());
                writeArray(out, new byte[][] {k.key()});
                ArrayDeque<Waiter> q = byKey.get(k);
                out.writeInt(q.size());
                for (Waiter w : q) {
                    out.writeLong(w.id());
                }
            }
            out.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // cannot happen in memory
        }
        return bytes.toByteArray();
    }

    /** Replaces the state with one {@link #encode encoded} before. */
    public void restore(byte[] data) throws java.io.IOException {
        clear();
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(data));
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            long id = in.readLong();
            int db = in.readInt();
            long deadline = in.readLong();
            String run = in.readUTF();
            long client = in.readLong();
            byte[][] keys = readArray(in);
            byte[][] argv = readArray(in);
            byId.put(id, new Waiter(id, db, keys, argv, deadline, run, client));
        }
        int k = in.readInt();
        for (int i = 0; i < k; i++) {
            int db = in.readInt();
            byte[] key = readArray(in)[0];
            int q = in.readInt();
            ArrayDeque<Waiter> queue = new ArrayDeque<>();
            for (int j = 0; j < q; j++) {
                Waiter w = byId.get(in.readLong());
                if (w == null) {
                    throw new java.io.IOException("a key's queue names an unknown waiter");
                }
                queue.addLast(w);
            }
            byKey.put(new DbKey(db, key), queue);
        }
    }

    private static void writeArray(java.io.DataOutputStream out, byte[][] a) throws java.io.IOException {
        out.writeInt(a.length);
        for (byte[] b : a) {
            out.writeInt(b.length);
            out.write(b);
        }
    }

    private static byte[][] readArray(java.io.DataInputStream in) throws java.io.IOException {
        byte[][] a = new byte[in.readInt()][];
        for (int i = 0; i < a.length; i++) {
            a[i] = new byte[in.readInt()];
            in.readFully(a[i]);
        }
        return a;
    }

    private List<DbKey> sortedKeys() {
        List<DbKey> keys = new ArrayList<>(byKey.keySet());
        keys.sort((a, b) -> a.db() != b.db() ? Integer.compare(a.db(), b.db()) : Arrays.compare(a.key(), b.key()));
        return keys;
    }

    /** A stable description of the whole state, for determinism checks. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Waiter w : byId.values()) {
            sb.append(w).append(' ').append(Arrays.deepToString(argvStrings(w.argv()))).append('\n');
        }
        for (DbKey k : sortedKeys()) {
            sb.append(k.db()).append(':').append(new String(k.key(), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .append(" ->");
            for (Iterator<Waiter> it = byKey.get(k).iterator(); it.hasNext(); ) {
                sb.append(' ').append(it.next().id());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String[] argvStrings(byte[][] argv) {
        String[] s = new String[argv.length];
        for (int i = 0; i < argv.length; i++) {
            s[i] = new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        return s;
    }
}
