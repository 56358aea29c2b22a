package io.redraft.store;

import java.util.Arrays;

/**
 * A byte string as a hash key: byte[] has identity equality, so set and sorted-set dictionaries
 * (and pub/sub's channel tables) wrap members in this (content equality, hash computed once).
 */
public final class MemberKey {
    public final byte[] bytes;
    private final int hash;

    public MemberKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemberKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
