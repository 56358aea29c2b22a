package io.redraft.store.snapshot;

import java.nio.file.Path;

/** A snapshot made durable by {@link KeyspaceSnapshotWriter#finish()}. */
public record SnapshotResult(Path file, SnapshotHeader header, long keys, long bytes) {
}
