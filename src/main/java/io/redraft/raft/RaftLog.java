package io.redraft.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The node's view of the log: persisted entries (read through {@link RaftStorage}) followed by the
 * unstable tail, plus the commit and applied indexes.
 *
 * <p>Invariant: applied <= committed <= lastIndex(). {@code applying} is the highest index handed to
 * the driver for application and not yet acknowledged.
 */
final class RaftLog {
    /** Returned by {@link #term(long)} for an index below the first available one. */
    static final long COMPACTED = -1;

    private final RaftStorage storage;
    final Unstable unstable;
    long committed;
    long applied;
    long applying;

    RaftLog(RaftStorage storage, long applied) {
        this.storage = storage;
        this.unstable = new Unstable(storage.lastIndex() + 1);
        this.applied = Math.max(applied, storage.firstIndex() - 1);
        // The saved commit index is a hint (drivers may skip saving it): what the state machine has
        // applied was committed, so it is a lower bound too.
        this.committed = Math.max(Math.max(storage.hardState().commit(), storage.firstIndex() - 1),
                Math.min(this.applied, storage.lastIndex()));
        if (this.applied > committed) throw new IllegalStateException("applied " + applied + " > committed " + committed);
        this.applying = this.applied;
    }

    long firstIndex() {
        if (unstable.snapshot != null) return unstable.snapshot.metadata().index() + 1;
        return storage.firstIndex();
    }

    long lastIndex() { return unstable.lastIndexOr(storage.lastIndex()); }

    long lastTerm() { return term(lastIndex()); }

    /** Term at index; 0 if index is beyond the log, {@link #COMPACTED} if below the first available. */
    long term(long index) {
        long t = unstable.term(index);
        if (t >= 0) return t;
        if (index > lastIndex()) return 0;
        if (unstable.snapshot != null) return COMPACTED; // below a pending snapshot
        long dummy = storage.firstIndex() - 1;
        if (index < dummy) return COMPACTED;
        if (index > storage.lastIndex()) return 0;
        return storage.term(index);
    }

    boolean matchTerm(long index, long term) {
        long t = term(index);
        return t != COMPACTED && t == term;
    }

    /** Raft §5.4.1: is a candidate's log (lastIndex, lastTerm) at least as up to date as ours? */
    boolean isUpToDate(long lastIdx, long lastTrm) {
        long myTerm = lastTerm();
        return lastTrm > myTerm || (lastTrm == myTerm && lastIdx >= lastIndex());
    }

    long append(List<Entry> ents) {
        if (ents.isEmpty()) return lastIndex();
        long after = ents.get(0).index() - 1;
        if (after < committed) throw new IllegalStateException("would truncate committed entries: after=" + after + " committed=" + committed);
        unstable.truncateAndAppend(ents);
        return lastIndex();
    }

    /**
     * Follower side of AppendEntries. Returns the index of the last new entry, or -1 if the entry
     * at {@code index} does not have term {@code logTerm}. Also returns (via conflictOut[0]) the first
     * index that was (re)written, 0 if nothing new, so the caller can update membership.
     */
    long maybeAppend(long index, long logTerm, long commit, List<Entry> ents, long[] conflictOut) {
        if (!matchTerm(index, logTerm)) return -1;
        long lastNew = index + ents.size();
        long ci = findConflict(ents);
        conflictOut[0] = 0;
        if (ci != 0) {
            if (ci <= committed) throw new IllegalStateException("conflict " + ci + " with committed " + committed);
            conflictOut[0] = ci;
            append(ents.subList((int) (ci - (index + 1)), ents.size()));
        }
        commitTo(Math.min(commit, lastNew));
        return lastNew;
    }

    /** First index in ents that is missing or has a different term in our log; 0 if all match. */
    private long findConflict(List<Entry> ents) {
        for (Entry e : ents) {
            if (!matchTerm(e.index(), e.term())) return e.index();
        }
        return 0;
    }

    /**
     * Largest index <= {@code index} whose term is <= {@code term} (used for fast backtracking:
     * entries after it cannot match a log whose entry at that index has {@code term}).
     */
    long findConflictByTerm(long index, long term) {
        for (long i = Math.min(index, lastIndex()); i >= firstIndex() - 1; i--) {
            long t = term(i);
            if (t == COMPACTED) return i; // cannot look further; the caller will fall back to a snapshot if needed
            if (t <= term) return i;
        }
        return Math.max(firstIndex() - 1, 0);
    }

    void commitTo(long index) {
        if (index <= committed) return;
        if (index > lastIndex()) throw new IllegalStateException("commit " + index + " beyond last index " + lastIndex());
        committed = index;
    }

    /** Entries [lo, hi), at most maxBytes (but at least one). Caller ensures lo >= firstIndex(). */
    List<Entry> entries(long lo, long hi, long maxBytes) {
        if (lo >= hi) return List.of();
        List<Entry> out = new ArrayList<>();
        long uOff = unstable.offset;
        if (lo < uOff) {
            List<Entry> stored = storage.entries(lo, Math.min(hi, uOff), maxBytes);
            out.addAll(stored);
            if (Math.min(hi, uOff) - lo > stored.size()) return out; // size limit hit
        }
        if (hi > uOff) {
            long size = 0;
            for (Entry e : out) size += e.size();
            for (Entry e : unstable.slice(Math.max(lo, uOff), hi)) {
                size += e.size();
                if (!out.isEmpty() && size > maxBytes) break;
                out.add(e);
            }
        }
        return out;
    }

    boolean hasNextCommittedEntries() {
        return unstable.snapshot == null && committed > applying;
    }

    List<Entry> nextCommittedEntries(long maxBytes) {
        if (!hasNextCommittedEntries()) return List.of();
        long lo = Math.max(applying + 1, firstIndex());
        return entries(lo, committed + 1, maxBytes);
    }

    void restore(Snapshot s) {
        committed = s.metadata().index();
        unstable.restore(s);
    }

    /** Snapshot received from the leader and installed by the driver: the state machine is at its index. */
    void appliedSnapshot(long index) {
        applied = Math.max(applied, index);
        applying = Math.max(applying, index);
    }
}
