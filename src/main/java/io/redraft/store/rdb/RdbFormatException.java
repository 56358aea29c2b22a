package io.redraft.store.rdb;

/** A payload that is not valid RDB: truncated, a bad length or encoding, an unknown type. */
public final class RdbFormatException extends Exception {
    public RdbFormatException(String message) {
        super(message, null, false, false);
    }
}
