package io.redraft.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Refuses writes while the disk holding the Raft log is nearly full. The log is memory-mapped:
 * running out of space under a mapping would crash the process instead of failing one write, so
 * writes stop (with Redis's persistence-error code, MISCONF) while free space is below
 * {@code raft-min-free-disk}, and resume by themselves when space returns. Checked every tick.
 */
public final class DiskGuard {
    private static final Logger log = LoggerFactory.getLogger(DiskGuard.class);

    private final Path dir;
    private final LongSupplier minFree;
    private volatile String refusal;

    /** minFree is read at every check, so CONFIG SET raft-min-free-disk applies within a tick. */
    public DiskGuard(Path dir, LongSupplier minFree) {
        this.dir = dir;
        this.minFree = minFree;
    }

    /** The error writes get now, or null while there is room. */
    public String refusal() {
        return refusal;
    }

    /** Measures the free space and updates the refusal. */
    public void check() {
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            free = 0;
        }
        long min = minFree.getAsLong();
        if (free < min) {
            if (refusal == null) {
                log.warn("Only {} bytes free on the disk of {} (raft-min-free-disk {}): refusing writes", free, dir, min);
            }
            refusal = "MISCONF Redraft is refusing writes: only " + free + " bytes are free on the disk of its Raft log"
                    + " (raft-min-free-disk is " + min + "). Reads still work; writes resume when space is freed.";
        } else if (refusal != null) {
            log.info("{} bytes free on the disk of {}: accepting writes again", free, dir);
            refusal = null;
        }
    }
}
