package io.redraft.raft;

/** Describes a state-machine snapshot: the last included entry and the membership as of that entry. */
public record SnapshotMetadata(long index, long term, Membership membership) {
    public static SnapshotMetadata initial(Membership m) { return new SnapshotMetadata(0, 0, m); }
}
