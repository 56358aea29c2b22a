package io.redraft.raft;

/**
 * State that must be durable before any message of the same {@link Ready} is sent:
 * the current term, the vote cast in that term (0 = none) and the commit index.
 */
public record HardState(long term, long vote, long commit) {
    public static final HardState EMPTY = new HardState(0, 0, 0);
}
