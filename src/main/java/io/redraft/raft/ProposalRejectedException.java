package io.redraft.raft;

/** Thrown by {@link RaftNode#propose} and friends when the node cannot accept the request. */
public final class ProposalRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** This node is not the leader; {@link #leaderHint()} names the leader if known (else 0). */
        NOT_LEADER,
        /** A leadership transfer is in progress; retry on the new leader. */
        TRANSFER_IN_PROGRESS,
        /** The leader's uncommitted log exceeds maxUncommittedEntriesSize; back off. */
        UNCOMMITTED_LIMIT,
        /** Another membership change is not yet committed (only one may be in flight). */
        MEMBERSHIP_CHANGE_PENDING,
        /** A new leader must commit an entry of its own term before accepting a membership change. */
        LEADER_NOT_READY,
        /** The leader has removed itself from the configuration and is about to step down. */
        LEADER_REMOVED,
        /** The membership change does not make sense for the current configuration. */
        INVALID_MEMBERSHIP_CHANGE
    }

    private final Reason reason;
    private final long leaderHint;

    public ProposalRejectedException(Reason reason, long leaderHint, String detail) {
        super(reason + (leaderHint != 0 ? " (leader=" + leaderHint + ")" : "") + (detail == null ? "" : ": " + detail), null, false, false);
        this.reason = reason;
        this.leaderHint = leaderHint;
    }

    public Reason reason() { return reason; }
    public long leaderHint() { return leaderHint; }
}
