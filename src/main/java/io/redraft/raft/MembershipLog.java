package io.redraft.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * Tracks which configuration is in effect. Configurations take effect as soon as their entry is
 * <em>appended</em> (dissertation §4.1), so the effective configuration is the one in the last
 * membership entry of the log, whether committed or not. When a conflicting suffix is truncated,
 * the configuration reverts, which is why we keep the history above the snapshot.
 */
final class MembershipLog {
    private record Change(long index, Membership membership) { }

    private long baseIndex;
    private Membership base;
    private final List<Change> changes = new ArrayList<>();

    MembershipLog(long baseIndex, Membership base) {
        this.baseIndex = baseIndex;
        this.base = base;
    }

    Membership current() { return changes.isEmpty() ? base : changes.get(changes.size() - 1).membership(); }

    /** Index of the entry that produced the current configuration (the snapshot index if none). */
    long currentIndex() { return changes.isEmpty() ? baseIndex : changes.get(changes.size() - 1).index(); }

    /** The configuration in effect once the log holds entries up to {@code index}. */
    Membership at(long index) {
        Membership m = base;
        for (Change c : changes) {
            if (c.index() > index) break;
            m = c.membership();
        }
        return m;
    }

    void appended(Entry e) {
        if (e.type() == Entry.Type.MEMBERSHIP) changes.add(new Change(e.index(), Membership.decode(e.data())));
    }

    /** Entries from {@code index} on were discarded: forget configurations they introduced. */
    void truncateFrom(long index) {
        while (!changes.isEmpty() && changes.get(changes.size() - 1).index() >= index) changes.remove(changes.size() - 1);
    }

    /** The log was compacted up to {@code index}: fold older changes into the base. */
    void compact(long index) {
        base = at(index);
        baseIndex = index;
        changes.removeIf(c -> c.index() <= index);
    }

    /** A snapshot replaced the whole log. */
    void reset(long index, Membership m) {
        baseIndex = index;
        base = m;
        changes.clear();
    }
}
