package io.redraft.store;

/** Receives one field-value pair of a hash. */
@FunctionalInterface
public interface PairVisitor {
    void visit(byte[] field, byte[] value);
}
