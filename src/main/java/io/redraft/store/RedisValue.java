package io.redraft.store;

/**
 * A value of a non-string type (strings are stored as plain {@code byte[]}).
 * Implementations are mutable collections owned by the keyspace thread.
 */
public interface RedisValue {
    ValueType type();

    /** Redis's name for the current internal representation, as OBJECT ENCODING reports it. */
    String encoding();

    /** A deep copy, for COPY and for snapshots taken while writes continue. */
    RedisValue copy();

    /** True when the collection holds no elements (Redis deletes empty collections). */
    boolean isEmpty();
}
