package io.redraft.raft.log;

import java.nio.file.Path;

/**
 * The on-disk log or one of its metadata files holds damaged data that was (or may have been)
 * acknowledged as durable. The node must not start from it: serving a wrong entry is worse than
 * not serving. Names the file and, for log records, the Raft index.
 */
public final class CorruptLogException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Path file;
    private final long index;

    public CorruptLogException(Path file, long index, String detail) {
        super("corrupt Raft log: " + file + (index > 0 ? " at index " + index : "") + ": " + detail);
        this.file = file;
        this.index = index;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** The Raft index of the damaged record, or 0 when the damage is not in a record. */
    public long index() {
        return index;
    }
}
