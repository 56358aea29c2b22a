package io.redraft.raft;

import java.util.List;

/**
 * An immutable Raft message. Plain fields (no polymorphism) so a binary codec can encode every
 * message the same way; unused fields are zero/empty. Build with {@link #builder}.
 */
public final class Message {
    public final MessageType type;
    public final long from;
    public final long to;
    /** Sender's term (for PRE_VOTE: the term it would campaign at; for granted PRE_VOTE_RESP: that same term). */
    public final long term;
    /** Term of the entry at {@link #index} (APPEND, VOTE, PRE_VOTE) or a hint in rejections. */
    public final long logTerm;
    public final long index;
    public final List<Entry> entries;
    public final long commit;
    public final boolean reject;
    public final long rejectHint;
    /** Opaque: read-index request context, or the read round number on heartbeats. */
    public final long context;
    /** Set on VOTE during leadership transfer: voters grant it even while they hold a leader lease. */
    public final boolean force;
    /** Only for SNAPSHOT. */
    public final Snapshot snapshot;

    private Message(Builder b) {
        type = b.type; from = b.from; to = b.to; term = b.term; logTerm = b.logTerm; index = b.index;
        entries = b.entries; commit = b.commit; reject = b.reject; rejectHint = b.rejectHint;
        context = b.context; force = b.force; snapshot = b.snapshot;
    }

    public static Builder builder(MessageType type, long from, long to, long term) { return new Builder(type, from, to, term); }

    /** Size used for flow control. */
    long entriesSize() {
        long s = 0;
        for (Entry e : entries) s += e.size();
        return s;
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder().append(type).append(' ').append(from).append("->").append(to).append(" t").append(term);
        switch (type) {
            case APPEND -> sb.append(" prev=").append(index).append('/').append(logTerm).append(" n=").append(entries.size()).append(" commit=").append(commit);
            case APPEND_RESP -> sb.append(reject ? " REJECT idx=" + index + " hint=" + rejectHint + "/" + logTerm : " ok idx=" + index);
            case VOTE, PRE_VOTE -> sb.append(" last=").append(index).append('/').append(logTerm).append(force ? " force" : "");
            case VOTE_RESP, PRE_VOTE_RESP -> sb.append(reject ? " REJECT" : " GRANT");
            case HEARTBEAT -> sb.append(" commit=").append(commit).append(" round=").append(context);
            case HEARTBEAT_RESP -> sb.append(" round=").append(context);
            case SNAPSHOT -> sb.append(" snap=").append(snapshot.metadata().index()).append('/').append(snapshot.metadata().term());
            case READ_INDEX, READ_INDEX_RESP -> sb.append(" ctx=").append(context).append(" idx=").append(index);
            default -> { }
        }
        return sb.toString();
    }

    public static final class Builder {
        private final MessageType type;
        private final long from, to, term;
        private long logTerm, index, commit, rejectHint, context;
        private List<Entry> entries = List.of();
        private boolean reject, force;
        private Snapshot snapshot;

        private Builder(MessageType type, long from, long to, long term) {
            this.type = type; this.from = from; this.to = to; this.term = term;
        }

        public Builder logTerm(long v) { logTerm = v; return this; }
        public Builder index(long v) { index = v; return this; }
        public Builder entries(List<Entry> v) { entries = List.copyOf(v); return this; }
        public Builder commit(long v) { commit = v; return this; }
        public Builder reject(boolean v) { reject = v; return this; }
        public Builder rejectHint(long v) { rejectHint = v; return this; }
        public Builder context(long v) { context = v; return this; }
        public Builder force(boolean v) { force = v; return this; }
        public Builder snapshot(Snapshot v) { snapshot = v; return this; }
        public Message build() { return new Message(this); }
    }
}
