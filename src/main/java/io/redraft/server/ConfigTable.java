package io.redraft.server;

import java.util.List;

/**
 * The parameters Redraft knows: Redis 7.0's names, types and defaults, plus Redraft's own
 * (raft-*). Every parameter here is documented in conf/redraft.conf.
 */
final class ConfigTable {
    private ConfigTable() {
    }

    static List<ConfigParameter> parameters() {
        return List.of(
                // network
                ConfigParameter.string("bind", "127.0.0.1", false),
                ConfigParameter.integer("port", 6379, 0, 65535, false),
                ConfigParameter.integer("tcp-backlog", 511, 0, Integer.MAX_VALUE, false),
                ConfigParameter.integer("timeout", 0, 0, Integer.MAX_VALUE, true),
                ConfigParameter.integer("tcp-keepalive", 300, 0, Integer.MAX_VALUE, true),
                ConfigParameter.bool("protected-mode", true, true),
                // general
                ConfigParameter.string("dir", "./data", true),
                ConfigParameter.integer("databases", 16, 1, Integer.MAX_VALUE, false),
                ConfigParameter.enumeration("loglevel", "notice", true, "debug", "verbose", "notice", "warning", "nothing"),
                ConfigParameter.string("logfile", "", false),
                ConfigParameter.string("pidfile", "", false),
                ConfigParameter.integer("hz", 10, 1, 500, true),
                // security
                ConfigParameter.string("requirepass", "", true),
                // clients and limits
                ConfigParameter.integer("maxclients", 10000, 1, Integer.MAX_VALUE, true),
                ConfigParameter.memory("proto-max-bulk-len", 512L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE, true),
                ConfigParameter.memory("client-query-buffer-limit", 1024L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE, true),
                ConfigParameter.special("client-output-buffer-limit",
                        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", true,
                        OutputBufferLimits::normalise),
                ConfigParameter.memory("maxmemory", 0, 0, Long.MAX_VALUE, true),
                // persistence (Redraft persists through the Raft log; these are reported to clients)
                ConfigParameter.string("save", "", true),
                ConfigParameter.bool("appendonly", false, true),
                ConfigParameter.string("dbfilename", "dump.rdb", true),
                // slow log and latency
                ConfigParameter.integer("slowlog-log-slower-than", 10000, -1, Long.MAX_VALUE, true),
                ConfigParameter.integer("slowlog-max-len", 128, 0, Long.MAX_VALUE, true),
                ConfigParameter.integer("latency-monitor-threshold", 0, 0, Long.MAX_VALUE, true),
                // expiry
                ConfigParameter.integer("active-expire-effort", 1, 1, 10, true)
        );
    }
}
