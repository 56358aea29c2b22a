package io.redraft.store.rdb;

/**
 * How a reader chooses the in-memory encoding of a collection it rebuilds from RDB.
 *
 * <p>The encoding matters beyond memory: it decides the positions random picks draw from (SPOP,
 * a write) and the order stored results are built in. Encodings only ever move up (a collection
 * that grew into a hashtable stays one when it shrinks), so a value rebuilt "from scratch"
 * under the limits can differ from the value that was written. RESTORE and Redis itself do
 * that ({@link #REBUILD}); a node restoring its own snapshot must not, or it would answer the
 * same later log entries differently from a node that replayed the log ({@link #AS_WRITTEN}).
 */
public enum RdbEncodingChoice {
    /** As our commands would encode the value if it were built from its members (RESTORE). */
    REBUILD,
    /**
     * The encoding the type byte names: HASH is a hashtable and ZSET_2 a skiplist whatever their
     * size, SET_INTSET an intset, and a SET is never an intset (a listpack while it fits one, a
     * hashtable beyond). Compact types are rebuilt under the limits as in {@link #REBUILD}.
     */
    AS_WRITTEN,
    /**
     * {@link #AS_WRITTEN}, and a SET is a hashtable even when small: RDB has no type of its own
     * for a listpack set, so the snapshot writer marks hashtable sets with a hint (see
     * {@link RdbValues#encodingHint}).
     */
    HASHTABLE
}
