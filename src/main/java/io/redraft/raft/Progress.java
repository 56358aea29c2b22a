package io.redraft.raft;

/**
 * The leader's view of one follower (or learner). States, as in etcd:
 * <ul>
 *   <li>PROBE: we do not know where the follower's log matches; send one AppendEntries at a time and
 *       wait for the answer (or the next heartbeat) before sending another.</li>
 *   <li>REPLICATE: the follower is known to match; stream entries optimistically, bounded by
 *       {@link Inflights}.</li>
 *   <li>SNAPSHOT: the follower needs entries we compacted; a snapshot is on its way, send nothing
 *       else until it is acknowledged (or times out, then probe again).</li>
 * </ul>
 */
public final class Progress {
    public enum State { PROBE, REPLICATE, SNAPSHOT }

    long match;
    long next;
    State state = State.PROBE;
    /** PROBE: an append was sent and we await its answer (or the next heartbeat response). */
    boolean probeSent;
    /** SNAPSHOT: index of the snapshot being sent; ticks spent waiting for it. */
    long pendingSnapshot;
    int snapshotTicks;
    /** Heard from since the last check-quorum round. */
    boolean recentActive;
    boolean learner;
    /** Highest read-index round this follower acknowledged (see {@link ReadOnlyQueue}). */
    long ackedReadRound;
    final Inflights inflights;

    Progress(long next, Inflights inflights, boolean learner) {
        this.next = next;
        this.inflights = inflights;
        this.learner = learner;
    }

    public long match() { return match; }
    public long next() { return next; }
    public State state() { return state; }

    void becomeProbe() {
        // From SNAPSHOT, resume right after the snapshot (or match) so we do not re-send it needlessly.
        long base = state == State.SNAPSHOT ? Math.max(match, pendingSnapshot) : match;
        state = State.PROBE;
        next = base + 1;
        probeSent = false;
        pendingSnapshot = 0;
        inflights.reset();
    }

    void becomeReplicate() {
        state = State.REPLICATE;
        next = match + 1;
        probeSent = false;
        pendingSnapshot = 0;
        inflights.reset();
    }

    void becomeSnapshot(long snapshotIndex) {
        state = State.SNAPSHOT;
        pendingSnapshot = snapshotIndex;
        snapshotTicks = 0;
        probeSent = false;
        inflights.reset();
    }

    /** An ack for index n arrived; returns whether match advanced. */
    boolean maybeUpdate(long n) {
        boolean updated = false;
        if (match < n) {
            match = n;
            updated = true;
            probeSent = false;
        }
        next = Math.max(next, n + 1);
        return updated;
    }

    /** Optimistic update after sending entries up to lastSent in REPLICATE state. */
    void sentEntries(long lastSent, long bytes) {
        if (state == State.REPLICATE) {
            if (lastSent >= next) {
                next = lastSent + 1;
                inflights.add(lastSent, bytes);
            }
        } else if (state == State.PROBE) {
            probeSent = true;
        }
    }

    /**
     * The follower rejected an append at index {@code rejected}; {@code matchHint} is the best guess
     * of where logs match. Returns false if the rejection is stale (for an older probe).
     */
    boolean maybeDecrTo(long rejected, long matchHint) {
        if (state == State.REPLICATE) {
            if (rejected <= match) return false; // stale
            next = match + 1;
            return true;
        }
        if (next - 1 != rejected) return false; // not the probe we are waiting for
        next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
        probeSent = false;
        return true;
    }

    boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights.full();
            case SNAPSHOT -> true;
        };
    }

    @Override public String toString() {
        return state + " match=" + match + " next=" + next + (state == State.SNAPSHOT ? " snap=" + pendingSnapshot : "")
                + (learner ? " learner" : "") + " inflight=" + inflights.count();
    }
}
