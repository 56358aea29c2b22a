package io.redraft.store.rdb;

import io.redraft.store.ValueType;

/** A value whose type has no RDB codec in Redraft yet. */
public final class UnsupportedTypeException extends Exception {
    private final ValueType type;

    public UnsupportedTypeException(ValueType type) {
        super("no RDB codec for type " + type.typeName(), null, false, false);
        this.type = type;
    }

    public ValueType type() {
        return type;
    }
}
