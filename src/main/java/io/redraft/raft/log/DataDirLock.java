package io.redraft.raft.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS lock on {@code <dir>/LOCK}, held for the life of the node, so two Redraft
 * processes (or two nodes in one JVM) can never write the same log. The OS drops the lock when the
 * process dies, however it dies, so a stale LOCK file never blocks a restart.
 */
public final class DataDirLock implements AutoCloseable {
    static final String NAME = "LOCK";
    private final Path dir;
    private final FileChannel ch;
    private final FileLock lock;

    private DataDirLock(Path dir, FileChannel ch, FileLock lock) {
        this.dir = dir;
        this.ch = ch;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (creating it if needed).
     *
     * @throws IOException "data directory X is in use by another Redraft process" if already locked
     */
    public static DataDirLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve(NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new IOException("data directory " + dir.toAbsolutePath() + " is in use by another Redraft process");
        }
        // Informational only: who holds it, for an operator looking at the directory.
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new DataDirLock(dir, ch, lock);
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            ch.close();
        }
    }
}
