package io.redraft.raft;

public enum MessageType {
    /** Candidate asks for a vote. {@code index/logTerm} describe its last entry; {@code force} is set for leadership transfer. */
    VOTE,
    VOTE_RESP,
    /** Pre-vote (dissertation §9.6): "would you vote for me at term+1?" Nobody changes term or vote. */
    PRE_VOTE,
    PRE_VOTE_RESP,
    /** AppendEntries: {@code entries} follow the entry at {@code index} with term {@code logTerm}. */
    APPEND,
    /** Ack ({@code index} = last matching index) or rejection ({@code reject}, {@code rejectHint}, {@code logTerm} as hints). */
    APPEND_RESP,
    /** Heartbeat: {@code commit} = min(follower match, leader commit); {@code context} = read-index round. */
    HEARTBEAT,
    HEARTBEAT_RESP,
    /** InstallSnapshot with a complete {@link Snapshot} (chunking is the transport's job). Acked with APPEND_RESP. */
    SNAPSHOT,
    /** Leadership transfer: the receiver should campaign immediately, skipping pre-vote. */
    TIMEOUT_NOW,
    /** Follower forwards a read-index request ({@code context}) to the leader. */
    READ_INDEX,
    /** Leader answers a forwarded read-index request: read at {@code index}. */
    READ_INDEX_RESP
}
