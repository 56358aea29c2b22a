package io.redraft.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * All databases of a node, owned by the single keyspace thread. Writes are applied here in log
 * order; {@link #applyIndex()} is the index of the entry being applied, which becomes the
 * version of every key it changes.
 */
public final class Keyspace {
    private final Database[] databases;
    private long applyIndex;
    /** Changes since the last snapshot (Redis's "dirty", shown by INFO persistence). */
    long dirty;
    public final KeyspaceStats stats = new KeyspaceStats();
    private final List<BiConsumer<Database, KeyEntry>> removalListeners = new ArrayList<>();
    /** The running snapshot's copy-on-write hook, or null (the one field writes check). */
    SnapshotHook snapshotHook;
    /** Incremented by each {@link #beginSnapshot}; see {@link KeyEntry#snapshotEpoch}. */
    long snapshotEpoch;
    private final WatchLedger watchLedger;

    public Keyspace(int databaseCount) {
        databases = new Database[databaseCount];
        for (int i = 0; i < databaseCount; i++) {
            databases[i] = new Database(i, this);
        }
        watchLedger = new WatchLedger(databaseCount);
        onRemoval(watchLedger::removed);
    }

    /** What EXEC consults to decide whether WATCHed keys changed. */
    public WatchLedger watchLedger() {
        return watchLedger;
    }

    public int databaseCount() {
        return databases.length;
    }

    public Database db(int id) {
        return databases[id];
    }

    public long applyIndex() {
        return applyIndex;
    }

    /** Called by the apply loop before it applies the entry at index. */
    public void beginApply(long index) {
        this.applyIndex = index;
    }

    public long dirty() {
        return dirty;
    }

    public void resetDirty() {
        dirty = 0;
    }

    /** A snapshot saved the first n changes counted by dirty(); the later ones remain. */
    public void changesSaved(long n) {
        dirty = Math.max(0, dirty - n);
    }

    /** SWAPDB at time now: exchanges the contents of two databases. */
    public void swap(int a, int b, long now) {
        watchLedger.swapping(databases[a], databases[b], applyIndex, now);
        databases[a].swapTables(databases[b]);
        dirty++;
    }

    public void flushAll() {
        for (Database db : databases) {
            db.clear();
        }
    }

    public long totalKeys() {
        long n = 0;
        for (Database db : databases) {
            n += db.size();
        }
        return n;
    }

    /**
     * Starts a point-in-time snapshot (keyspace thread, O(databases)): from now on every write
     * about to change, expire or remove an entry that existed at this moment and that the snapshot
     * has not written yet first hands it to hook (see {@link Database}). Returns each database's
     * table as it is now, indexed by database id: the snapshot scans these; FLUSHDB/FLUSHALL give
     * a database a fresh table and SWAPDB exchanges tables, so the captured tables keep exactly
     * the entries of their database at this moment and need no further hook.
     */
    public KeyTable[] beginSnapshot(SnapshotHook hook) {
        if (snapshotHook != null) {
            throw new IllegalStateException("a snapshot is already running");
        }
        snapshotEpoch++;
        snapshotHook = hook;
        KeyTable[] tables = new KeyTable[databases.length];
        for (int i = 0; i < databases.length; i++) {
            tables[i] = databases[i].table();
        }
        return tables;
    }

    /** Detaches the running snapshot's hook (keyspace thread); writes cost one null check again. */
    public void endSnapshot(SnapshotHook hook) {
        if (snapshotHook == hook) {
            snapshotHook = null;
        }
    }

    /** Whether a snapshot is running (its hook is attached). */
    public boolean snapshotRunning() {
        return snapshotHook != null;
    }

    /**
     * Claims e for the running snapshot: true the first time it is asked for an entry that
     * existed when the snapshot began (the caller then writes it), false afterwards and for
     * entries created since.
     */
    public boolean claimForSnapshot(KeyEntry e) {
        if (e.snapshotEpoch == snapshotEpoch) {
            return false;
        }
        e.snapshotEpoch = snapshotEpoch;
        return true;
    }

    /** Registers a listener told of every key removed (blocking and WATCH bookkeeping use it). */
    public void onRemoval(BiConsumer<Database, KeyEntry> listener) {
        removalListeners.add(listener);
    }

    void notifyRemoved(Database db, KeyEntry e) {
        for (int i = 0; i < removalListeners.size(); i++) {
            removalListeners.get(i).accept(db, e);
        }
    }

    /**
     * Finds up to max keys whose deadline passed at now, sampling each database at random.
     * The caller proposes their deletion through the log (expiry is never local).
     */
    public List<ExpiredKey> sampleExpired(long now, int max, java.util.random.RandomGenerator random) {
        List<ExpiredKey> found = new ArrayList<>();
        for (Database db : databases) {
            for (int i = 0; i < max && found.size() < max; i++) {
                KeyEntry e = db.sampleExpiring(random);
                if (e == null) {
                    break;
                }
                if (e.isExpired(now)) {
                    found.add(new ExpiredKey(db.id(), e.key()));
                }
            }
        }
        return found;
    }

    /** A key found past its deadline by the active expiry cycle. */
    public record ExpiredKey(int db, byte[] key) {
    }
}
