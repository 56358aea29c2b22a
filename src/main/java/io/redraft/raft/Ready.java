package io.redraft.raft;

import java.util.List;

/**
 * A batch of work the driver must carry out, obtained from {@link RaftNode#ready()} and acknowledged
 * with {@link RaftNode#advance(Ready)}. Process it strictly in this order:
 * <ol>
 *   <li>If {@link #snapshot()} is non-null, install it: persist it (replacing the whole log) and restore
 *       the state machine from its data.</li>
 *   <li>Persist {@link #entries()} (first discarding persisted entries from {@link #truncateFrom()} on,
 *       if non-zero) and {@link #hardState()} (if non-null), and make them durable (fsync).</li>
 *   <li><b>Only then</b> send {@link #messages()} and {@link #snapshotSends()}. Every message in a Ready
 *       may depend on the Ready's hard state and entries being durable: a vote reply must not be sent
 *       before the vote is on disk, an append ack must not be sent before the entries are. Sending
 *       early breaks safety after a crash.
 *       The one exception is {@link #mayLeaveBeforeSync}: a leader's appends may go out while its own
 *       sync runs.</li>
 *   <li>Apply {@link #committedEntries()} to the state machine, in order, and serve {@link #readStates()}
 *       once the state machine has applied their index. The {@link #committedBeforeSync} first of
 *       them, and the read states, may be handed on before the sync.</li>
 *   <li>Call {@link RaftNode#advance(Ready)}.</li>
 * </ol>
 */
public final class Ready {
    private final SoftState softState;
    private final HardState hardState;
    private final List<Entry> entries;
    private final long truncateFrom;
    private final Snapshot snapshot;
    private final List<Entry> committedEntries;
    private final List<Message> messages;
    private final List<SnapshotSend> snapshotSends;
    private final List<ReadState> readStates;

    Ready(SoftState softState, HardState hardState, List<Entry> entries, long truncateFrom, Snapshot snapshot,
          List<Entry> committedEntries, List<Message> messages, List<SnapshotSend> snapshotSends, List<ReadState> readStates) {
        this.softState = softState;
        this.hardState = hardState;
        this.entries = entries;
        this.truncateFrom = truncateFrom;
        this.snapshot = snapshot;
        this.committedEntries = committedEntries;
        this.messages = messages;
        this.snapshotSends = snapshotSends;
        this.readStates = readStates;
    }

    /** New leader/role if it changed since the last Ready, else null. Informational, not persisted. */
    public SoftState softState() { return softState; }
    /** Hard state to persist if it changed, else null. */
    public HardState hardState() { return hardState; }
    /** Entries to append to stable storage. */
    public List<Entry> entries() { return entries; }
    /**
     * Non-zero if persisted entries from this index on conflict with the leader and must be discarded
     * before appending {@link #entries()} (always equal to entries().get(0).index() when set).
     */
    public long truncateFrom() { return truncateFrom; }
    /** Snapshot received from the leader that must be installed, or null. */
    public Snapshot snapshot() { return snapshot; }
    /** Committed entries to apply to the state machine. */
    public List<Entry> committedEntries() { return committedEntries; }
    /** Messages to send after persisting. */
    public List<Message> messages() { return messages; }

    /**
     * Whether {@code m} may be sent once the hard state is durable but before {@link #entries()}
     * are: a leader's APPEND or HEARTBEAT whose commit index covers only entries made durable by
     * earlier Readies. The leader then writes its log in parallel with its followers (dissertation
     * §10.2.1), so a commit costs one sync instead of two in a row. It is safe because the leader
     * counts its own entries toward commit at append time only in a driver that steps no message
     * until this Ready's entries are durable: every follower ack is then counted after the sync.
     * The commit bound keeps a follower from applying an entry that could vanish with the leader
     * (a one-voter group commits at append, so its commit may cover this Ready's entries).
     */
    public boolean mayLeaveBeforeSync(Message m) {
        if (m.type != MessageType.APPEND && m.type != MessageType.HEARTBEAT) return false;
        return m.commit <= durableBefore();
    }

    /**
     * How many of {@link #committedEntries()} (a prefix) may be applied before {@link #entries()}
     * are durable: those earlier Readies made durable here. Applying a committed entry never waits
     * for entries after it, so a commit is answered without waiting for the next batch's sync;
     * only an entry this Ready both appends and commits (a one-voter group commits at append)
     * must wait, or a client could be told of a write no disk holds yet.
     */
    public int committedBeforeSync() {
        long durable = durableBefore();
        int n = 0;
        while (n < committedEntries.size() && committedEntries.get(n).index() <= durable) n++;
        return n;
    }

    /** Every entry below this Ready's first new one was made durable by an earlier Ready. */
    private long durableBefore() {
        return entries.isEmpty() ? Long.MAX_VALUE : entries.get(0).index() - 1;
    }
    /** Snapshots the driver must send (after persisting), attaching the state-machine bytes. */
    public List<SnapshotSend> snapshotSends() { return snapshotSends; }
    /** Read-index requests that are now safe to serve once applied index >= their index. */
    public List<ReadState> readStates() { return readStates; }

    /** Whether anything must be made durable before sending messages. */
    public boolean mustSync() { return hardState != null || !entries.isEmpty() || snapshot != null; }

    @Override public String toString() {
        return "Ready{soft=" + softState + " hard=" + hardState + " ents=" + entries.size() + (truncateFrom != 0 ? " truncFrom=" + truncateFrom : "")
                + (snapshot != null ? " snap=" + snapshot.metadata().index() : "") + " committed=" + committedEntries.size()
                + " msgs=" + messages.size() + " snapSends=" + snapshotSends.size() + " reads=" + readStates.size() + "}";
    }
}
