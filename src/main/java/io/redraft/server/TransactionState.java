package io.redraft.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One connection's MULTI/WATCH state: whether it is inside MULTI, whether a command failed
 * while being queued (EXEC then answers EXECABORT), the queued commands, and the watched keys.
 * Owned by the keyspace thread; it never holds keyspace state, only what the EXEC entry carries.
 */
public final class TransactionState {
    /**
     * A watched key: the database it was watched in, the last applied log index when it was
     * watched (any change after it aborts the EXEC) and whether it was live then.
     */
    public record WatchedKey(int db, byte[] key, long since, boolean live) {
    }

    private boolean active;
    private boolean failed;
    private final List<byte[][]> queued = new ArrayList<>();
    private final List<WatchedKey> watched = new ArrayList<>();

    public boolean active() {
        return active;
    }

    /** MULTI. */
    public void begin() {
        active = true;
    }

    /** A command was refused while queueing: EXEC will abort with EXECABORT. */
    public void fail() {
        if (active) {
            failed = true;
        }
    }

    public boolean failed() {
        return failed;
    }

    public void queue(byte[][] argv) {
        queued.add(argv);
    }

    public List<byte[][]> queued() {
        return queued;
    }

    /** WATCH of one key; a key watched twice in the same database keeps its first watch (as Redis). */
    public void watch(int db, byte[] key, long since, boolean live) {
        for (WatchedKey w : watched) {
            if (w.db() == db && Arrays.equals(w.key(), key)) {
                return;
            }
        }
        watched.add(new WatchedKey(db, key, since, live));
    }

    public List<WatchedKey> watched() {
        return watched;
    }

    public void unwatch() {
        watched.clear();
    }

    /** EXEC, DISCARD, RESET: leave MULTI and forget the queue and the watched keys. */
    public void clear() {
        active = false;
        failed = false;
        queued.clear();
        watched.clear();
    }
}
