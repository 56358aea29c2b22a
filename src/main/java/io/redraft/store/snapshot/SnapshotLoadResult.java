package io.redraft.store.snapshot;

/**
 * A loaded snapshot: its header (index, term and membership are 0/0/empty for a plain Redis RDB
 * file without Redraft's AUX fields), the Redis version that wrote it, the RDB version, and what
 * INFO persistence may show (keys loaded, those with a deadline, file size).
 */
public record SnapshotLoadResult(SnapshotHeader header, String redisVersion, int rdbVersion,
                                 long keys, long expiringKeys, long fileBytes) {
}
