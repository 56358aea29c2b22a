package io.redraft.command;

/** Redis's command flags (COMMAND INFO names them in lower case). */
public enum CommandFlag {
    /** Changes the keyspace: goes through the Raft log and is applied on every node. */
    WRITE,
    READONLY,
    DENYOOM,
    MODULE,
    ADMIN,
    PUBSUB,
    NOSCRIPT,
    BLOCKING,
    LOADING,
    STALE,
    SKIP_MONITOR,
    SKIP_SLOWLOG,
    ASKING,
    FAST,
    NO_AUTH,
    MAY_REPLICATE,
    NO_MANDATORY_KEYS,
    NO_MULTI,
    ALLOW_BUSY;

    /** The name COMMAND reports, e.g. "skip_monitor" -> "skip_monitor", NO_AUTH -> "no_auth". */
    public String redisName() {
        return name().toLowerCase();
    }
}
