package io.redraft.raft;

/**
 * Static configuration of one {@link RaftNode}. Immutable; build with {@link #builder(long)}.
 *
 * <p>All timing is expressed in <em>ticks</em>: the driver calls {@link RaftNode#tick()} at a fixed
 * interval (e.g. every 100 ms) and the core never reads a clock. The only randomness (election
 * timeout jitter) comes from a {@link java.util.SplittableRandom} seeded with {@link #seed()}, so a
 * node is fully deterministic given its inputs.
 */
public final class RaftConfig {

    /** How a leader confirms it is still leader before answering a read-index request. */
    public enum ReadOnlyOption {
        /** Confirm with a quorum heartbeat round sent after the request arrived (always safe). */
        SAFE,
        /**
         * Answer from the leader's lease without a round. Relies on bounded clock drift between nodes:
         * a leader that has heard from a quorum within the election timeout assumes no other leader
         * can exist yet because followers refuse votes while they are "in lease". Requires checkQuorum.
         */
        LEASE_BASED
    }

    private final long id;
    private final int electionTicks;
    private final int heartbeatTicks;
    private final boolean preVote;
    private final boolean checkQuorum;
    private final long maxSizePerMsg;
    private final int maxInflightMsgs;
    private final long maxInflightBytes;
    private final long maxUncommittedEntriesSize;
    private final ReadOnlyOption readOnlyOption;
    private final long seed;
    private final long applied;

    private RaftConfig(Builder b) {
        this.id = b.id;
        this.electionTicks = b.electionTicks;
        this.heartbeatTicks = b.heartbeatTicks;
        this.preVote = b.preVote;
        this.checkQuorum = b.checkQuorum;
        this.maxSizePerMsg = b.maxSizePerMsg;
        this.maxInflightMsgs = b.maxInflightMsgs;
        this.maxInflightBytes = b.maxInflightBytes;
        this.maxUncommittedEntriesSize = b.maxUncommittedEntriesSize;
        this.readOnlyOption = b.readOnlyOption;
        this.seed = b.seed;
        this.applied = b.applied;
        if (id <= 0) throw new IllegalArgumentException("node id must be > 0 (0 means 'none')");
        if (heartbeatTicks <= 0) throw new IllegalArgumentException("heartbeatTicks must be > 0");
        if (electionTicks <= heartbeatTicks) throw new IllegalArgumentException("electionTicks must exceed heartbeatTicks");
        if (maxInflightMsgs <= 0) throw new IllegalArgumentException("maxInflightMsgs must be > 0");
        if (readOnlyOption == ReadOnlyOption.LEASE_BASED && !checkQuorum)
            throw new IllegalArgumentException("LEASE_BASED reads require checkQuorum");
    }

    public static Builder builder(long id) { return new Builder(id); }

    public long id() { return id; }
    public int electionTicks() { return electionTicks; }
    public int heartbeatTicks() { return heartbeatTicks; }
    public boolean preVote() { return preVote; }
    public boolean checkQuorum() { return checkQuorum; }
    public long maxSizePerMsg() { return maxSizePerMsg; }
    public int maxInflightMsgs() { return maxInflightMsgs; }
    public long maxInflightBytes() { return maxInflightBytes; }
    public long maxUncommittedEntriesSize() { return maxUncommittedEntriesSize; }
    public ReadOnlyOption readOnlyOption() { return readOnlyOption; }
    public long seed() { return seed; }
    /** Index the driver's state machine has already applied (e.g. restored from a snapshot) at start. */
    public long applied() { return applied; }

    public static final class Builder {
        private final long id;
        private int electionTicks = 10;
        private int heartbeatTicks = 1;
        private boolean preVote = true;
        private boolean checkQuorum = true;
        private long maxSizePerMsg = 1 << 20;
        private int maxInflightMsgs = 256;
        private long maxInflightBytes = Long.MAX_VALUE;
        private long maxUncommittedEntriesSize = Long.MAX_VALUE;
        private ReadOnlyOption readOnlyOption = ReadOnlyOption.SAFE;
        private long seed = 0;
        private long applied = 0;

        private Builder(long id) { this.id = id; }

        public Builder electionTicks(int v) { electionTicks = v; return this; }
        public Builder heartbeatTicks(int v) { heartbeatTicks = v; return this; }
        public Builder preVote(boolean v) { preVote = v; return this; }
        public Builder checkQuorum(boolean v) { checkQuorum = v; return this; }
        public Builder maxSizePerMsg(long v) { maxSizePerMsg = v; return this; }
        public Builder maxInflightMsgs(int v) { maxInflightMsgs = v; return this; }
        public Builder maxInflightBytes(long v) { maxInflightBytes = v; return this; }
        public Builder maxUncommittedEntriesSize(long v) { maxUncommittedEntriesSize = v; return this; }
        public Builder readOnlyOption(ReadOnlyOption v) { readOnlyOption = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder applied(long v) { applied = v; return this; }
        public RaftConfig build() { return new RaftConfig(this); }
    }
}
