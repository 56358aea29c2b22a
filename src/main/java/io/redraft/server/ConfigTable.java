package io.redraft.server;

import java.util.List;

import static io.redraft.server.ConfigParameter.bool;
import static io.redraft.server.ConfigParameter.enumeration;
import static io.redraft.server.ConfigParameter.integer;
import static io.redraft.server.ConfigParameter.memory;
import static io.redraft.server.ConfigParameter.special;
import static io.redraft.server.ConfigParameter.string;

/**
 * The parameters Redraft knows: Redis 7.0's table (src/config.c: names, aliases, types, defaults,
 * ranges, enum values, mutability; TLS and hidden debug parameters left out), plus Redraft's own
 * (raft-*, added with the Raft log). Parameters Redraft does not act on are still validated and
 * reported, because clients and tools read them (redis-benchmark reads save and appendonly).
 * Every parameter here is documented in conf/redraft.conf.
 */
final class ConfigTable {
    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long INT_MIN = Integer.MIN_VALUE;
    private static final long LONG_MAX = Long.MAX_VALUE;

    private ConfigTable() {
    }

    static List<ConfigParameter> parameters() {
        return List.of(
                // network
                special("bind", "127.0.0.1", true, ConfigValidators::bind),
                string("bind-source-addr", "", true),
                integer("port", 6379, 0, 65535, false),
                integer("tcp-backlog", 511, 0, INT_MAX, false),
                string("unixsocket", "", false),
                special("unixsocketperm", "0", false, ConfigValidators::octalPermissions),
                integer("timeout", 0, 0, INT_MAX, true),
                integer("tcp-keepalive", 300, 0, INT_MAX, true),
                bool("protected-mode", true, true),
                // general
                bool("daemonize", false, false),
                enumeration("supervised", "no", false, "upstart", "systemd", "auto", "no"),
                string("dir", "./data", true).protect(),
                integer("databases", 16, 1, INT_MAX, false),
                enumeration("loglevel", "notice", true, "debug", "verbose", "notice", "warning", "nothing"),
                string("logfile", "", false),
                string("pidfile", "", false),
                bool("syslog-enabled", false, false),
                string("syslog-ident", "redis", false),
                enumeration("syslog-facility", "local0", false,
                        "user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"),
                bool("crash-log-enabled", true, true),
                bool("crash-memcheck-enabled", true, true),
                bool("always-show-logo", false, false),
                bool("set-proc-title", true, false),
                string("proc-title-template", "{title} {listen-addr} {server-mode}", true),
                special("hz", "10", true, ConfigValidators::hz),
                bool("dynamic-hz", true, true),
                integer("active-expire-effort", 1, 1, 10, true),
                string("ignore-warnings", "", true),
                integer("shutdown-timeout", 10, 0, INT_MAX, true),
                enumeration("enable-protected-configs", "no", false, "no", "yes", "local"),
                enumeration("enable-debug-command", "local", false, "no", "yes", "local"),
                enumeration("enable-module-command", "no", false, "no", "yes", "local"),
                // security
                string("requirepass", "", true),
                string("aclfile", "", false),
                integer("acllog-max-len", 128, 0, LONG_MAX, true),
                enumeration("acl-pubsub-default", "resetchannels", true, "allchannels", "resetchannels"),
                // clients and limits
                integer("maxclients", 10000, 1, 0xFFFFFFFFL, true),
                memory("proto-max-bulk-len", 512L * 1024 * 1024, 1024 * 1024, LONG_MAX, true),
                memory("client-query-buffer-limit", 1024L * 1024 * 1024, 1024 * 1024, LONG_MAX, true),
                special("client-output-buffer-limit",
                        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", true,
                        OutputBufferLimits::normalise),
                special("maxmemory-clients", "0", true, ConfigValidators::memoryOrPercent),
                integer("tracking-table-max-keys", 1000000, 0, LONG_MAX, true),
                // memory management
                memory("maxmemory", 0, 0, LONG_MAX, true),
                enumeration("maxmemory-policy", "noeviction", true, "volatile-lru", "volatile-lfu", "volatile-random",
                        "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"),
                integer("maxmemory-samples", 5, 1, INT_MAX, true),
                integer("maxmemory-eviction-tenacity", 10, 0, 100, true),
                integer("lfu-log-factor", 10, 0, INT_MAX, true),
                integer("lfu-decay-time", 1, 0, INT_MAX, true),
                bool("lazyfree-lazy-eviction", false, true),
                bool("lazyfree-lazy-expire", false, true),
                bool("lazyfree-lazy-server-del", false, true),
                bool("lazyfree-lazy-user-del", false, true),
                bool("lazyfree-lazy-user-flush", false, true),
                bool("activerehashing", true, true),
                bool("jemalloc-bg-thread", true, true),
                bool("disable-thp", true, false),
                enumeration("oom-score-adj", "no", true, "no", "yes", "relative", "absolute"),
                special("oom-score-adj-values", "0 200 800", true, ConfigValidators::oomScoreAdjValues),
                string("server_cpulist", "", false),
                string("bio_cpulist", "", false),
                string("aof_rewrite_cpulist", "", false),
                string("bgsave_cpulist", "", false),
                integer("io-threads", 1, 1, 128, false),
                bool("io-threads-do-reads", false, false),
                // active defragmentation
                bool("activedefrag", false, true),
                memory("active-defrag-ignore-bytes", 100L << 20, 1, LONG_MAX, true),
                integer("active-defrag-threshold-lower", 10, 0, 1000, true),
                integer("active-defrag-threshold-upper", 100, 0, 1000, true),
                integer("active-defrag-cycle-min", 1, 1, 99, true),
                integer("active-defrag-cycle-max", 25, 1, 99, true),
                integer("active-defrag-max-scan-fields", 1000, 1, LONG_MAX, true),
                // data structure encodings
                integer("hash-max-listpack-entries", 512, 0, LONG_MAX, true).alias("hash-max-ziplist-entries"),
                memory("hash-max-listpack-value", 64, 0, LONG_MAX, true).alias("hash-max-ziplist-value"),
                integer("list-max-listpack-size", -2, INT_MIN, INT_MAX, true).alias("list-max-ziplist-size"),
                integer("list-compress-depth", 0, 0, INT_MAX, true),
                integer("set-max-intset-entries", 512, 0, LONG_MAX, true),
                integer("zset-max-listpack-entries", 128, 0, LONG_MAX, true).alias("zset-max-ziplist-entries"),
                memory("zset-max-listpack-value", 64, 0, LONG_MAX, true).alias("zset-max-ziplist-value"),
                memory("hll-sparse-max-bytes", 3000, 0, LONG_MAX, true),
                memory("stream-node-max-bytes", 4096, 0, LONG_MAX, true),
                integer("stream-node-max-entries", 100, 0, LONG_MAX, true),
                // persistence (Redraft persists through the Raft log; these are reported to clients)
                special("save", "", true, ConfigValidators::save),
                bool("stop-writes-on-bgsave-error", true, true),
                bool("rdbcompression", true, true),
                bool("rdbchecksum", true, false),
                string("dbfilename", "dump.rdb", true).protect(),
                bool("rdb-del-sync-files", false, true),
                bool("rdb-save-incremental-fsync", true, true),
                enumeration("sanitize-dump-payload", "no", true, "no", "yes", "clients"),
                bool("appendonly", false, true),
                string("appendfilename", "appendonly.aof", false),
                string("appenddirname", "appendonlydir", false),
                enumeration("appendfsync", "everysec", true, "everysec", "always", "no"),
                bool("no-appendfsync-on-rewrite", false, true),
                integer("auto-aof-rewrite-percentage", 100, 0, INT_MAX, true),
                memory("auto-aof-rewrite-min-size", 64L * 1024 * 1024, 0, LONG_MAX, true),
                bool("aof-load-truncated", true, true),
                bool("aof-use-rdb-preamble", true, true),
                bool("aof-timestamp-enabled", false, true),
                bool("aof-rewrite-incremental-fsync", true, true),
                bool("aof-disable-auto-gc", false, true),
                // replication (Redraft replicates through Raft; Redis replication is not served)
                special("replicaof", "", false, ConfigValidators::replicaOf).alias("slaveof"),
                string("masterauth", "", true),
                string("masteruser", "", true),
                bool("replica-serve-stale-data", true, true).alias("slave-serve-stale-data"),
                bool("replica-read-only", true, true).alias("slave-read-only"),
                bool("repl-diskless-sync", true, true),
                integer("repl-diskless-sync-delay", 5, 0, INT_MAX, true),
                integer("repl-diskless-sync-max-replicas", 0, 0, INT_MAX, true),
                enumeration("repl-diskless-load", "disabled", true, "disabled", "on-empty-db", "swapdb"),
                integer("repl-ping-replica-period", 10, 1, INT_MAX, true).alias("repl-ping-slave-period"),
                integer("repl-timeout", 60, 1, INT_MAX, true),
                bool("repl-disable-tcp-nodelay", false, true),
                memory("repl-backlog-size", 1024 * 1024, 1, LONG_MAX, true),
                integer("repl-backlog-ttl", 3600, 0, LONG_MAX, true),
                integer("replica-priority", 100, 0, INT_MAX, true).alias("slave-priority"),
                bool("replica-announced", true, true),
                integer("min-replicas-to-write", 0, 0, INT_MAX, true).alias("min-slaves-to-write"),
                integer("min-replicas-max-lag", 10, 0, INT_MAX, true).alias("min-slaves-max-lag"),
                string("replica-announce-ip", "", true).alias("slave-announce-ip"),
                integer("replica-announce-port", 0, 0, 65535, true).alias("slave-announce-port"),
                bool("replica-lazy-flush", false, true).alias("slave-lazy-flush"),
                bool("replica-ignore-maxmemory", true, true).alias("slave-ignore-maxmemory"),
                // cluster (Redis Cluster is not served; Redraft's cluster is Raft)
                bool("cluster-enabled", false, false),
                string("cluster-config-file", "nodes.conf", false),
                integer("cluster-node-timeout", 15000, 0, LONG_MAX, true),
                integer("cluster-port", 0, 0, 65535, false),
                integer("cluster-replica-validity-factor", 10, 0, INT_MAX, true).alias("cluster-slave-validity-factor"),
                integer("cluster-migration-barrier", 1, 0, INT_MAX, true),
                bool("cluster-allow-replica-migration", true, true),
                bool("cluster-require-full-coverage", true, true),
                bool("cluster-replica-no-failover", false, true).alias("cluster-slave-no-failover"),
                bool("cluster-allow-reads-when-down", false, true),
                bool("cluster-allow-pubsubshard-when-down", true, true),
                memory("cluster-link-sendbuf-limit", 0, 0, LONG_MAX, true),
                string("cluster-announce-ip", "", true),
                string("cluster-announce-hostname", "", true),
                integer("cluster-announce-port", 0, 0, 65535, true),
                integer("cluster-announce-bus-port", 0, 0, 65535, true),
                integer("cluster-announce-tls-port", 0, 0, 65535, true),
                enumeration("cluster-preferred-endpoint-type", "ip", true, "ip", "hostname", "unknown-endpoint"),
                // scripting
                integer("busy-reply-threshold", 5000, 0, LONG_MAX, true).alias("lua-time-limit"),
                // slow log, latency, notifications
                integer("slowlog-log-slower-than", 10000, -1, LONG_MAX, true),
                integer("slowlog-max-len", 128, 0, LONG_MAX, true),
                integer("latency-monitor-threshold", 0, 0, LONG_MAX, true),
                bool("latency-tracking", true, true),
                special("latency-tracking-info-percentiles", "50 99 99.9", true, ConfigValidators::percentiles),
                special("notify-keyspace-events", "", true, ConfigValidators::keyspaceEvents),
                // Redraft's Raft log
                integer("raft-node-id", 1, 1, LONG_MAX, false),
                enumeration("raft-fsync", "always", false, "always", "everysec", "no"),
                integer("raft-tick-ms", 50, 1, 60_000, false),
                integer("raft-election-ticks", 10, 2, INT_MAX, false),
                integer("raft-heartbeat-ticks", 1, 1, INT_MAX, false),
                integer("raft-request-timeout", 5000, 1, INT_MAX, true),
                memory("raft-min-free-disk", 64L * 1024 * 1024, 0, LONG_MAX, true),
                integer("raft-snapshot-threshold", 200_000, 0, LONG_MAX, true),
                // Redraft's cluster
                string("raft-peers", "", false),
                string("raft-join", "", false),
                integer("raft-port", 0, 0, 65535, false),
                integer("raft-announce-port", 0, 0, 65535, false),
                string("raft-cluster-id", "redraft", false),
                string("raft-cluster-password", "", false).protect(),
                enumeration("read-consistency", "linearizable", true, "linearizable", "lease", "stale"),
                bool("follower-redirect", false, true)
        );
    }
}
