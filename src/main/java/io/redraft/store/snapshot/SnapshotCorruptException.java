package io.redraft.store.snapshot;

import java.io.IOException;
import java.nio.file.Path;

/** A snapshot file that cannot be trusted: truncated, damaged, or not a loadable RDB file. */
public final class SnapshotCorruptException extends IOException {
    private final Path file;

    public SnapshotCorruptException(Path file, String problem) {
        super("snapshot " + file + " is unusable: " + problem);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
