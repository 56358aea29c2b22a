package io.redraft.raft.log;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's sync thread. With {@code always} it syncs in a loop while anything is unsynced:
 * one fsync covers every record appended while the previous one ran, so the batch (and the
 * throughput) grows with the load while an idle log costs nothing. With {@code everysec} it syncs
 * about once a second; with {@code no} there is no thread.
 */
final class GroupSyncer {
    private static final Logger LOG = LoggerFactory.getLogger(GroupSyncer.class);
    /** Parked time when idle; appends unpark it at once, this only bounds a missed wake-up. */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * After a round that covered several entries, clients it released are about to append again:
     * wait while appends keep arriving (up to this long) so the next fsync covers them too.
     */
    private static final long GATHER_MAX_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long GATHER_QUIET_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

    private final RaftJournal journal;
    private long lastRoundEntries;
    private final FsyncPolicy policy;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param appenderSyncs under always, the appender syncs itself: no thread */
    GroupSyncer(RaftJournal journal, FsyncPolicy policy, boolean appenderSyncs, String name) {
        this.journal = journal;
        this.policy = policy;
        boolean idle = policy == FsyncPolicy.NO || (policy == FsyncPolicy.ALWAYS && appenderSyncs);
        this.thread = idle ? null : new Thread(this::run, "raft-log-sync-" + name);
        if (thread != null) thread.setDaemon(true);
    }

    void start() {
        if (thread != null) thread.start();
    }

    /** Called after each append; wakes the thread under {@code always}. */
    void appended() {
        if (policy == FsyncPolicy.ALWAYS && thread != null) LockSupport.unpark(thread);
    }

    void stop() {
        running = false;
        if (thread == null) return;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long parkNanos = policy == FsyncPolicy.ALWAYS ? IDLE_PARK_NANOS : TimeUnit.SECONDS.toNanos(1);
        while (running) {
            if (policy == FsyncPolicy.ALWAYS && journal.hasUnsynced()) {
                if (lastRoundEntries > 1) gather();
                long before = journal.durableIndex();
                if (!syncOnce()) return;
                lastRoundEntries = journal.durableIndex() - before;
            } else {
                LockSupport.parkNanos(this, parkNanos);
                if (policy == FsyncPolicy.EVERYSEC && running && journal.hasUnsynced() && !syncOnce()) return;
            }
        }
    }

    private void gather() {
        long start = System.nanoTime();
        long seen = journal.lastIndex();
        long lastChange = start;
        while (true) {
            Thread.yield();
            long now = System.nanoTime();
            long l = journal.lastIndex();
            if (l != seen) {
                seen = l;
                lastChange = now;
            }
            if (now - lastChange >= GATHER_QUIET_NANOS || now - start >= GATHER_MAX_NANOS) return;
        }
    }

    private boolean syncOnce() {
        try {
            journal.sync();
            return true;
        } catch (IOException e) {
            // The journal has failed every waiter and refuses further appends; nothing to retry.
            LOG.error("Raft log sync failed; the node must restart", e);
            return false;
        }
    }
}
