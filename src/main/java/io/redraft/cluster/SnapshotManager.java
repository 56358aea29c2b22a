package io.redraft.cluster;

import io.redraft.raft.Membership;
import io.redraft.raft.Snapshot;
import io.redraft.raft.SnapshotMetadata;
import io.redraft.server.ServerContext;
import io.redraft.store.EncodingLimits;
import io.redraft.store.SetEncodingLimits;
import io.redraft.store.snapshot.KeyspaceSnapshotLoader;
import io.redraft.store.snapshot.KeyspaceSnapshotWriter;
import io.redraft.store.snapshot.SnapshotHeader;
import io.redraft.store.snapshot.SnapshotLoadResult;
import io.redraft.store.snapshot.SnapshotResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The node's keyspace snapshots: one RDB file ({@code dir/dbfilename}) holding the whole keyspace as
 * of an applied log index, with that index's term, the Raft membership and the address book.
 *
 * <p>A snapshot is taken when {@code raft-snapshot-threshold} writes were applied since the last
 * one (writes, not log entries: an entry may carry a batch of them), on BGSAVE, and
 * (synchronously) on SAVE and SHUTDOWN SAVE. It is written by the keyspace thread in slices of
 * {@link #STEP_NANOS} between other work (copy-on-write keeps it consistent), made durable on a
 * background thread, and then the log is compacted up to it. The same file is
 * what a leader sends to a follower that is too far behind, and what a restart loads before
 * replaying the log's tail.
 *
 * <p>Keyspace thread unless a method says otherwise.
 */
public final class SnapshotManager {
    private static final Logger log = LoggerFactory.getLogger(SnapshotManager.class);
    /** Longest slice of snapshot writing between two turns of other work on the keyspace thread. */
    private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final ServerContext server;
    private final CommandExecutor executor;
    private final Path file;
    private RaftDriver driver;
    private KeyspaceSnapshotWriter running;
    private long runningSince;
    private long dirtyAtStart;
    /** What the snapshot begun last records about the log (for compaction once it is durable). */
    private SnapshotMetadata beganMeta;
    /** Index of the snapshot in {@link #file}; guarded by this (read by the raft thread). */
    private long fileIndex;
    /** Applied writes ({@link KeyspaceStateMachine#appliedWrites}) that the file holds, and the running snapshot. */
    private volatile long writesAtFile;
    private long writesAtBegin;
    private volatile long lastSaveMillis;
    private volatile boolean lastOk = true;
    private volatile long lastDurationSeconds = -1;

    public SnapshotManager(ServerContext server, CommandExecutor executor, Path file) {
        this.server = server;
        this.executor = executor;
        this.file = file;
        this.lastSaveMillis = server.startTimeMillis();
    }

    public void driver(RaftDriver d) {
        this.driver = d;
    }

    public Path file() {
        return file;
    }

    public boolean inProgress() {
        return running != null;
    }

    public long lastSaveSeconds() {
        return lastSaveMillis / 1000;
    }

    public boolean lastOk() {
        return lastOk;
    }

    public long lastDurationSeconds() {
        return lastDurationSeconds;
    }

    /** Seconds the running snapshot has taken so far, -1 when none runs. */
    public long currentSeconds() {
        return running == null ? -1 : (System.currentTimeMillis() - runningSince) / 1000;
    }

    // ------------------------------------------------------------------ start-up

    /**
     * Start-up, before the log is replayed: loads the snapshot file if there is one. Returns its
     * header (index 0 for a plain Redis RDB file), or null if there is no file.
     */
    public SnapshotHeader load() throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        long t0 = System.nanoTime();
        SnapshotLoadResult r = KeyspaceSnapshotLoader.load(file, server.keyspace(), EncodingLimits.of(server.config()),
                SetEncodingLimits.read(server.config()));
        SnapshotHeader h = r.header();
        restoreClusterState(h.membership());
        executor.stateMachine().applyEmpty(h.index()); // the keyspace holds it now, entries or not
        synchronized (this) {
            fileIndex = h.index();
        }
        writesAtFile = executor.stateMachine().appliedWrites();
        log.info("Loaded {} keys from {} (index {}, term {}) in {} ms", r.keys(), file, h.index(), h.term(),
                (System.nanoTime() - t0) / 1_000_000);
        return h;
    }

    private void restoreClusterState(byte[] state) {
        if (state.length == 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(state);
        byte[] membership = new byte[b.getInt()];
        b.get(membership);
        byte[] book = new byte[b.remaining()];
        b.get(book);
        if (book.length > 0) {
            server.directory().restore(book);
        }
    }

    /** The membership bytes a header's cluster state holds, or null. */
    public static Membership membershipOf(SnapshotHeader h) {
        if (h.membership().length == 0) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(h.membership());
        byte[] m = new byte[b.getInt()];
        b.get(m);
        return Membership.decode(m);
    }

    private byte[] clusterState(Membership m) {
        byte[] membership = m.encode();
        byte[] book = server.directory().encode();
        return ByteBuffer.allocate(4 + membership.length + book.length).putInt(membership.length).put(membership)
                .put(book).array();
    }

    // ------------------------------------------------------------------ taking snapshots

    /** After entries were applied: start a snapshot if the writes since the last one reach the threshold. */
    public void afterApply() {
        long threshold = server.config().getLong("raft-snapshot-threshold");
        long since = executor.stateMachine().appliedWrites() - writesAtFile;
        if (threshold > 0 && running == null && since >= threshold) {
            start("raft-snapshot-threshold");
        }
    }

    /** BGSAVE: starts a background snapshot; false if one is already running. */
    public boolean start(String reason) {
        if (running != null) {
            return false;
        }
        try {
            running = begin();
        } catch (IOException | RuntimeException e) {
            failed(e);
            return false;
        }
        log.info("Background snapshot started ({}) at index {}", reason, running == null ? -1 : applied());
        executor.thread().execute(this::stepRunning);
        return true;
    }

    /** SAVE: takes a snapshot now, blocking the keyspace thread until it is durable. */
    public void saveNow() throws IOException {
        if (running != null) {
            throw new IllegalStateException("a background snapshot is running");
        }
        KeyspaceSnapshotWriter w = begin();
        try {
            while (!w.step(Long.MAX_VALUE)) {
                // one step writes everything with an unbounded budget
            }
        } catch (IOException | RuntimeException e) {
            w.abort();
            failed(e);
            throw e;
        }
        complete(w, beganMeta);
    }

    private long applied() {
        return executor.stateMachine().appliedIndex();
    }

    private KeyspaceSnapshotWriter begin() throws IOException {
        long index = applied();
        SnapshotMetadata meta = driver.snapshotMetadataAt(index);
        beganMeta = meta;
        runningSince = System.currentTimeMillis();
        dirtyAtStart = server.keyspace().dirty();
        writesAtBegin = executor.stateMachine().appliedWrites();
        SnapshotHeader header = new SnapshotHeader(index, meta.term(), clusterState(meta.membership()),
                executor.stateMachine().lastTimestamp());
        return KeyspaceSnapshotWriter.begin(server.keyspace(), file, header);
    }

    private void stepRunning() {
        KeyspaceSnapshotWriter w = running;
        if (w == null) {
            return;
        }
        try {
            if (!w.step(STEP_NANOS)) {
                executor.thread().execute(this::stepRunning); // other work queued meanwhile goes first
                return;
            }
        } catch (IOException | RuntimeException e) {
            running = null;
            w.abort();
            failed(e);
            return;
        }
        // Written: make it durable away from the keyspace thread, then compact the log.
        SnapshotMetadata meta = beganMeta;
        Thread finisher = new Thread(() -> {
            boolean saved = false;
            try {
                complete(w, meta);
                saved = true;
            } catch (IOException | RuntimeException e) {
                failed(e);
            } finally {
                boolean checkAgain = saved;
                executor.runUnlessStopped(() -> {
                    running = null;
                    if (checkAgain) {
                        // Writes applied while this one ran may already reach the threshold: a burst
                        // that outran the snapshot is covered now, not at some later write.
                        afterApply();
                    }
                });
            }
        }, "snapshot-finish");
        finisher.setDaemon(true);
        finisher.start();
    }

    /** fsync + rename (under the lock that senders take), then compact the log up to it. */
    private void complete(KeyspaceSnapshotWriter w, SnapshotMetadata meta) throws IOException {
        SnapshotResult r;
        synchronized (this) {
            r = w.finish();
            fileIndex = r.header().index();
        }
        writesAtFile = writesAtBegin;
        lastOk = true;
        lastSaveMillis = System.currentTimeMillis();
        lastDurationSeconds = (lastSaveMillis - runningSince) / 1000;
        long saved = dirtyAtStart;
        executor.runUnlessStopped(() -> server.keyspace().changesSaved(saved));
        driver.compact(meta);
        log.info("Snapshot at index {} saved: {} keys, {} bytes", r.header().index(), r.keys(), r.bytes());
    }

    private void failed(Exception e) {
        lastOk = false;
        log.error("Snapshot failed", e);
    }

    /** Abandons a running background snapshot (its temp file is deleted). */
    public void abortRunning() {
        if (running != null) {
            running.abort();
            running = null;
        }
    }

    // ------------------------------------------------------------------ between nodes

    /**
     * Raft thread (leader): the bytes of the snapshot file if it is the one at index, else null
     * (a newer one replaced it; Raft asks again later).
     */
    public synchronized byte[] readFor(long index) throws IOException {
        if (fileIndex != index || !Files.exists(file)) {
            return null;
        }
        return Files.readAllBytes(file);
    }

    /**
     * Keyspace thread (follower): replaces the keyspace with a snapshot received from the leader.
     * The file is made durable first, so a crash afterwards restarts from it.
     */
    public void install(Snapshot snapshot) throws IOException {
        abortRunning();
        Path temp = file.resolveSibling(file.getFileName() + ".recv");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(snapshot.data());
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        synchronized (this) {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                d.force(true);
            }
            fileIndex = snapshot.metadata().index();
        }
        writesAtFile = executor.stateMachine().appliedWrites();
        server.keyspace().flushAll();
        server.keyspace().watchLedger().clear(); // the snapshot's ledger and waiters replace these
        server.keyspace().waiters().clear();
        SnapshotLoadResult r = KeyspaceSnapshotLoader.load(file, server.keyspace(), EncodingLimits.of(server.config()),
                SetEncodingLimits.read(server.config()));
        restoreClusterState(r.header().membership());
        executor.stateMachine().applyEmpty(snapshot.metadata().index());
        log.info("Installed the leader's snapshot at index {}: {} keys", snapshot.metadata().index(), r.keys());
    }
}
