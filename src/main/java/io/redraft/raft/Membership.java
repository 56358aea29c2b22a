package io.redraft.raft;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable cluster configuration: voters (count towards quorums) and learners (receive the log
 * but never vote or count). A node is never both.
 *
 * <p>Membership entries in the log carry the <em>complete</em> resulting configuration rather than a
 * delta, so a node that joins late (or restarts) can always derive its configuration from the
 * latest membership entry it holds, or from its snapshot metadata.
 */
public final class Membership {
    public static final Membership EMPTY = new Membership(Set.of(), Set.of());

    private final Set<Long> voters;
    private final Set<Long> learners;

    public Membership(Set<Long> voters, Set<Long> learners) {
        TreeSet<Long> v = new TreeSet<>(voters);
        TreeSet<Long> l = new TreeSet<>(learners);
        l.removeAll(v);
        this.voters = Collections.unmodifiableSet(v);
        this.learners = Collections.unmodifiableSet(l);
    }

    public static Membership ofVoters(long... ids) {
        TreeSet<Long> v = new TreeSet<>();
        for (long id : ids) v.add(id);
        return new Membership(v, Set.of());
    }

    public Set<Long> voters() { return voters; }
    public Set<Long> learners() { return learners; }
    public boolean isVoter(long id) { return voters.contains(id); }
    public boolean isLearner(long id) { return learners.contains(id); }
    public boolean contains(long id) { return isVoter(id) || isLearner(id); }
    /** Votes needed for a majority of the voters. */
    public int quorum() { return voters.size() / 2 + 1; }

    /** The configuration after applying {@code change}; throws IllegalArgumentException if it is invalid. */
    public Membership apply(MembershipChange change) {
        long id = change.nodeId();
        TreeSet<Long> v = new TreeSet<>(voters);
        TreeSet<Long> l = new TreeSet<>(learners);
        switch (change.type()) {
            case ADD_LEARNER -> {
                if (contains(id)) throw new IllegalArgumentException("node " + id + " is already a member");
                l.add(id);
            }
            case PROMOTE_LEARNER -> {
                if (!isLearner(id)) throw new IllegalArgumentException("node " + id + " is not a learner");
                l.remove(id);
                v.add(id);
            }
            case REMOVE_NODE -> {
                if (!contains(id)) throw new IllegalArgumentException("node " + id + " is not a member");
                if (isVoter(id) && voters.size() == 1) throw new IllegalArgumentException("cannot remove the last voter");
                v.remove(id);
                l.remove(id);
            }
        }
        return new Membership(v, l);
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * (voters.size() + learners.size()));
        b.putInt(voters.size());
        for (long id : voters) b.putLong(id);
        b.putInt(learners.size());
        for (long id : learners) b.putLong(id);
        return b.array();
    }

    public static Membership decode(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        TreeSet<Long> v = new TreeSet<>();
        TreeSet<Long> l = new TreeSet<>();
        int nv = b.getInt();
        for (int i = 0; i < nv; i++) v.add(b.getLong());
        int nl = b.getInt();
        for (int i = 0; i < nl; i++) l.add(b.getLong());
        return new Membership(v, l);
    }

    @Override public boolean equals(Object o) {
        return o instanceof Membership m && m.voters.equals(voters) && m.learners.equals(learners);
    }

    @Override public int hashCode() { return voters.hashCode() * 31 + learners.hashCode(); }

    @Override public String toString() { return "voters=" + voters + (learners.isEmpty() ? "" : " learners=" + learners); }
}
