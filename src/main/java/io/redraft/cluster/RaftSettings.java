package io.redraft.cluster;

import io.redraft.server.ServerConfig;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The raft-* parameters a {@link RaftDriver} is built with, read once at start; those CONFIG SET
 * can change (the free-disk minimum, read-consistency) are suppliers read when needed.
 */
public record RaftSettings(long nodeId, Path dataDir, long tickMillis, int electionTicks, int heartbeatTicks,
                           long requestTimeoutMillis, LongSupplier minFreeDisk, BooleanSupplier leaseReads,
                           BooleanSupplier staleReads) {

    public static RaftSettings from(ServerConfig config, Path dataDir) {
        return new RaftSettings(config.getLong("raft-node-id"), dataDir, config.getLong("raft-tick-ms"),
                config.getInt("raft-election-ticks"), config.getInt("raft-heartbeat-ticks"),
                config.getLong("raft-request-timeout"), () -> config.getLong("raft-min-free-disk"),
                () -> "lease".equals(config.get("read-consistency")), () -> "stale".equals(config.get("read-consistency")));
    }
}
