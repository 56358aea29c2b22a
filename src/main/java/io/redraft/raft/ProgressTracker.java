package io.redraft.raft;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * The current membership plus per-node replication progress (leader) and votes (candidate).
 * All quorum arithmetic lives here.
 */
final class ProgressTracker {
    private final int maxInflightMsgs;
    private final long maxInflightBytes;
    private Membership membership = Membership.EMPTY;
    /** Sorted so iteration order (and thus message order) is deterministic. */
    final TreeMap<Long, Progress> progress = new TreeMap<>();
    private final Map<Long, Boolean> votes = new HashMap<>();

    ProgressTracker(int maxInflightMsgs, long maxInflightBytes) {
        this.maxInflightMsgs = maxInflightMsgs;
        this.maxInflightBytes = maxInflightBytes;
    }

    Membership membership() { return membership; }

    /** Switch to a new configuration, creating progress for new members (next = nextIndex). */
    void setMembership(Membership m, long nextIndex) {
        membership = m;
        progress.keySet().removeIf(id -> !m.contains(id));
        for (long id : m.voters()) addOrUpdate(id, nextIndex, false);
        for (long id : m.learners()) addOrUpdate(id, nextIndex, true);
    }

    private void addOrUpdate(long id, long nextIndex, boolean learner) {
        Progress p = progress.get(id);
        if (p == null) {
            p = new Progress(nextIndex, new Inflights(maxInflightMsgs, maxInflightBytes), learner);
            progress.put(id, p);
        }
        p.learner = learner;
    }

    /** Forget all progress (new term as leader): everyone starts probing at nextIndex. */
    void resetProgress(long nextIndex) {
        progress.clear();
        setMembership(membership, nextIndex);
    }

    Progress get(long id) { return progress.get(id); }

    /**
     * The largest value v such that a quorum of voters have value >= v. Used for the commit index
     * (value = match) and for read-index rounds (value = acked round).
     */
    long quorumValue(ToLongFunction<Long> valueOf) {
        int n = membership.voters().size();
        if (n == 0) return 0;
        long[] vals = new long[n];
        int i = 0;
        for (long id : membership.voters()) vals[i++] = valueOf.applyAsLong(id);
        Arrays.sort(vals);
        return vals[n - membership.quorum()];
    }

    boolean quorumActive(long self) {
        int active = 0;
        for (long id : membership.voters()) {
            Progress p = progress.get(id);
            if (id == self || (p != null && p.recentActive)) active++;
        }
        return active >= membership.quorum();
    }

    void resetRecentActive() {
        for (Progress p : progress.values()) p.recentActive = false;
    }

    // --- elections ---

    void resetVotes() { votes.clear(); }

    enum VoteResult { PENDING, WON, LOST }

    VoteResult recordVote(long id, boolean granted) {
        votes.putIfAbsent(id, granted);
        int yes = 0, no = 0;
        for (long v : membership.voters()) {
            Boolean b = votes.get(v);
            if (b == null) continue;
            if (b) yes++; else no++;
        }
        int q = membership.quorum();
        if (yes >= q) return VoteResult.WON;
        if (no > membership.voters().size() - q) return VoteResult.LOST;
        return VoteResult.PENDING;
    }
}
