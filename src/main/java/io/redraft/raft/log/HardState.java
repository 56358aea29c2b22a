package io.redraft.raft.log;

/**
 * Raft's persistent per-node state besides the log: the current term, the candidate voted for in
 * it ({@link #NO_VOTE} if none) and the last known commit index.
 */
public record HardState(long term, long vote, long commit) {
    public static final long NO_VOTE = 0;
    public static final HardState INITIAL = new HardState(0, NO_VOTE, 0);
}
