package io.redraft.store;

/**
 * The copy-on-write callback of a running keyspace snapshot (see {@link Keyspace#beginSnapshot}).
 * Called on the keyspace thread, at most once per entry per snapshot, just before a write changes,
 * expires or removes an entry the snapshot has not written yet; the snapshot must serialize the
 * entry's current key, value and deadline before returning. It must not throw: a failure is kept
 * by the snapshot and reported by its own methods, never by the client's command.
 */
public interface SnapshotHook {
    /** table: the table holding e, one of those {@link Keyspace#beginSnapshot} returned. */
    void beforeChange(KeyTable table, KeyEntry e);
}
