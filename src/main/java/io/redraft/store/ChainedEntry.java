package io.redraft.store;

/**
 * An entry of one of the chained power-of-two hash tables here (the key table, the hash type's
 * field table): its key, the key's hash and the next entry of its bucket. The tables keep their
 * chains in {@link CanonicalChains} order.
 */
abstract class ChainedEntry<E extends ChainedEntry<E>> {
    final byte[] key;
    final int hash;
    E next;

    ChainedEntry(byte[] key, int hash) {
        this.key = key;
        this.hash = hash;
    }
}
