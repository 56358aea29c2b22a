package io.redraft.raft;

/**
 * A single-server membership change (Raft dissertation §4.1). A new node should first be added as a
 * learner, allowed to catch up, and then promoted, so adding it never stalls commits.
 */
public record MembershipChange(Type type, long nodeId) {
    public enum Type { ADD_LEARNER, PROMOTE_LEARNER, REMOVE_NODE }

    public static MembershipChange addLearner(long id) { return new MembershipChange(Type.ADD_LEARNER, id); }
    public static MembershipChange promote(long id) { return new MembershipChange(Type.PROMOTE_LEARNER, id); }
    public static MembershipChange remove(long id) { return new MembershipChange(Type.REMOVE_NODE, id); }
}
