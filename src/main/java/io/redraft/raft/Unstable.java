package io.redraft.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The not-yet-persisted tail of the log (and possibly a snapshot received from the leader that
 * the driver has not installed yet). Entries here are handed out in the next {@link Ready} and
 * dropped from here once the driver acknowledged persisting them via {@link RaftNode#advance}.
 */
final class Unstable {
    /** Snapshot waiting to be installed by the driver, or null. */
    Snapshot snapshot;
    /** entries.get(i) has index offset + i. */
    final ArrayList<Entry> entries = new ArrayList<>();
    long offset;

    Unstable(long offset) { this.offset = offset; }

    long lastIndexOr(long fallback) {
        if (!entries.isEmpty()) return offset + entries.size() - 1;
        if (snapshot != null) return snapshot.metadata().index();
        return fallback;
    }

    /** Term of index if this structure knows it, else -1. */
    long term(long index) {
        if (index < offset) {
            if (snapshot != null && snapshot.metadata().index() == index) return snapshot.metadata().term();
            return -1;
        }
        long last = offset + entries.size() - 1;
        if (index > last) return -1;
        return entries.get((int) (index - offset)).term();
    }

    /** The driver persisted entries up to (index, term). */
    void stableTo(long index, long term) {
        if (index < offset || term(index) != term) return; // replaced meanwhile; keep them
        int n = (int) (index - offset + 1);
        entries.subList(0, n).clear();
        offset = index + 1;
    }

    void stableSnapTo(long index) {
        if (snapshot != null && snapshot.metadata().index() == index) snapshot = null;
    }

    void restore(Snapshot s) {
        offset = s.metadata().index() + 1;
        entries.clear();
        snapshot = s;
    }

    /** Append entries, replacing any conflicting suffix (ents[0].index() may be anywhere <= last+1). */
    void truncateAndAppend(List<Entry> ents) {
        long from = ents.get(0).index();
        if (from == offset + entries.size()) {
            entries.addAll(ents);
        } else if (from <= offset) {
            // Replaces everything unstable (and, via Ready.truncateFrom, a suffix of storage).
            offset = from;
            entries.clear();
            entries.addAll(ents);
        } else {
            entries.subList((int) (from - offset), entries.size()).clear();
            entries.addAll(ents);
        }
    }

    List<Entry> slice(long lo, long hi) {
        return entries.subList((int) (lo - offset), (int) (hi - offset));
    }
}
