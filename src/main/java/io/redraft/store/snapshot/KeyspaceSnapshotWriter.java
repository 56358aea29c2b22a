package io.redraft.store.snapshot;

import io.redraft.server.ServerContext;
import io.redraft.store.KeyEntry;
import io.redraft.store.KeyTable;
import io.redraft.store.Keyspace;
import io.redraft.store.SnapshotHook;
import io.redraft.store.rdb.RdbEncoder;
import io.redraft.store.rdb.RdbType;
import io.redraft.store.rdb.RdbValues;
import io.redraft.store.rdb.UnsupportedTypeException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Writes a point-in-time snapshot of a {@link Keyspace} to an RDB file while commands keep
 * running.
 *
 * <p><b>Consistency.</b> The snapshot is the keyspace as it was at {@link #begin}: every key that
 * existed then (including keys past their deadline that no log entry has deleted yet), with its
 * value and deadline of that moment, and no key created later. It is copy-on-write at key
 * granularity: while it runs, a write about to change, expire or remove a key the snapshot has not
 * written yet first serializes that key into the file (the {@link SnapshotHook} in
 * {@code Database}). FLUSHDB/FLUSHALL/SWAPDB need no copying: they replace or exchange whole
 * tables, and the snapshot keeps scanning the tables captured at begin. Each key is written
 * exactly once (a per-entry epoch mark), so a table scan that returns a key twice across a resize
 * is harmless.
 *
 * <p><b>Threading contract.</b> {@link #begin} and {@link #step} run on the keyspace thread
 * (between batches of commands); {@link #abort} too while the snapshot is not yet written. After
 * {@code step} returned true the keyspace is no longer referenced, and {@link #finish} (fsync,
 * rename, directory fsync: the slow part) may run on any one thread, handed over with a
 * happens-before edge (an executor submit) — or {@link #abort} to discard the file instead.
 *
 * <p><b>Pauses.</b> {@code begin} is O(number of databases). A {@code step} serializes whole keys
 * until its budget is spent, so its length is the budget plus the time of one key: a single huge
 * value (and the copy-on-write of one, inside the write that touches it) is the limit of this
 * design. Encoded bytes go to the file in batches of {@value #FLUSH_BYTES} bytes (page-cache
 * writes; the only fsync is in {@code finish}).
 *
 * <p><b>File.</b> "REDIS0010", AUX fields (redis-ver, redis-bits, ctime, aof-base, raft-index,
 * raft-term, raft-membership), then per database first touched SELECTDB and RESIZEDB (sizes as at
 * begin), keys with EXPIRETIME_MS when they have a deadline, SELECTDB again whenever a
 * copy-on-write key of another database interrupts the scan, EOF and the CRC-64. The bytes depend
 * only on the keyspace contents, the header and the order of copy-on-write events, so two nodes
 * that applied the same entries and snapshot at the same index with no writes in between write
 * identical files.
 */
public final class KeyspaceSnapshotWriter {
    static final int FLUSH_BYTES = 64 * 1024;
    /** Keys a scan call visits (at least) between two looks at the clock. */
    private static final int SCAN_BATCH = 16;

    private enum State { RUNNING, WRITTEN, FINISHED, ABORTED, FAILED }

    private final Keyspace keyspace;
    private final Path target;
    private final Path temp;
    private final SnapshotHeader header;
    private final RdbFileSink sink;
    private final KeyTable[] tables;
    private final int[] sizeAtBegin;
    private final int[] expiringAtBegin;
    private final boolean[] dbStarted;
    private final RdbEncoder batch = new RdbEncoder(FLUSH_BYTES + FLUSH_BYTES / 4);
    private final RdbEncoder valueBuf = new RdbEncoder(256);
    private final SnapshotHook hook = this::copyBeforeChange;
    private final Consumer<KeyEntry> scanVisitor = this::visitScanned;
    private int selectedDb = -1;
    private int scanDb;
    private long cursor;
    private long keys;
    private volatile State state = State.RUNNING;
    private IOException failure;

    private KeyspaceSnapshotWriter(Keyspace keyspace, Path target, Path temp, SnapshotHeader header,
                                   FileChannel channel) {
        this.keyspace = keyspace;
        this.target = target;
        this.temp = temp;
        this.header = header;
        this.sink = new RdbFileSink(channel);
        int n = keyspace.databaseCount();
        this.sizeAtBegin = new int[n];
        this.expiringAtBegin = new int[n];
        this.dbStarted = new boolean[n];
        this.tables = keyspace.beginSnapshot(hook);
        for (int i = 0; i < n; i++) {
            sizeAtBegin[i] = tables[i].size();
            expiringAtBegin[i] = tables[i].expiringCount();
        }
        writeHeader();
    }

    /**
     * Starts a snapshot of keyspace as it is now, to be written to target (through target +
     * ".tmp" until {@link #finish}). Keyspace thread. Fails if another snapshot of this keyspace
     * is running or the temp file cannot be created.
     */
    public static KeyspaceSnapshotWriter begin(Keyspace keyspace, Path target, SnapshotHeader header)
            throws IOException {
        if (keyspace.snapshotRunning()) {
            throw new IllegalStateException("a snapshot of this keyspace is already running");
        }
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        return new KeyspaceSnapshotWriter(keyspace, target, temp, header, channel);
    }

    private void writeHeader() {
        batch.writeRaw(String.format("REDIS%04d", RdbType.RDB_VERSION).getBytes(StandardCharsets.US_ASCII));
        aux("redis-ver", ServerContext.VERSION.getBytes(StandardCharsets.US_ASCII));
        auxInt("redis-bits", 64);
        auxInt("ctime", header.timeMillis() / 1000);
        auxInt("aof-base", 0);
        auxInt(RdbOpcode.AUX_RAFT_INDEX, header.index());
        auxInt(RdbOpcode.AUX_RAFT_TERM, header.term());
        aux(RdbOpcode.AUX_RAFT_MEMBERSHIP, header.membership());
        aux(RdbOpcode.AUX_RAFT_WATCH_LEDGER, keyspace.watchLedger().encode());
    }

    private void aux(String key, byte[] value) {
        batch.writeByte(RdbOpcode.AUX);
        batch.writeString(key.getBytes(StandardCharsets.US_ASCII));
        batch.writeString(value);
    }

    private void auxInt(String key, long value) {
        batch.writeByte(RdbOpcode.AUX);
        batch.writeString(key.getBytes(StandardCharsets.US_ASCII));
        batch.writeString(value);
    }

    /**
     * Serializes keys for about budgetNanos (at least one scan batch), on the keyspace thread.
     * Returns true once every key is written and the file is complete (EOF and checksum, not yet
     * synced); the keyspace is then released and {@link #finish} may follow. On an I/O error the
     * snapshot is abandoned (temp file deleted) and the error thrown, here or at the next call if
     * it happened inside a copy-on-write.
     */
    public boolean step(long budgetNanos) throws IOException {
        State s = state;
        if (s == State.FAILED) {
            throw failure;
        }
        if (s != State.RUNNING) {
            if (s == State.ABORTED) {
                throw new IllegalStateException("snapshot aborted");
            }
            return true;
        }
        long deadline = System.nanoTime() + budgetNanos;
        while (scanDb < tables.length) {
            cursor = tables[scanDb].scan(cursor, SCAN_BATCH, scanVisitor);
            if (state == State.FAILED) {
                throw failure;
            }
            if (cursor == 0) {
                scanDb++;
            }
            if (System.nanoTime() - deadline >= 0 && scanDb < tables.length) {
                return false;
            }
        }
        try {
            batch.writeByte(RdbOpcode.EOF);
            sink.drain(batch);
            batch.writeLongLE(sink.crc());
            sink.drain(batch);
        } catch (IOException e) {
            fail(e);
            throw e;
        }
        keyspace.endSnapshot(hook);
        state = State.WRITTEN;
        return true;
    }

    /**
     * Makes the written file durable: fsync it, rename it over the target atomically, fsync the
     * directory. Call once after {@link #step} returned true, on any thread (see the class
     * comment). On failure the temp file is deleted and the old target, if any, is untouched.
     */
    public SnapshotResult finish() throws IOException {
        if (state != State.WRITTEN) {
            throw new IllegalStateException("snapshot not completely written (state " + state + ")");
        }
        try {
            sink.sync();
            sink.close();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("file system cannot rename atomically: " + target, e);
            }
            Path dir = target.toAbsolutePath().getParent();
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        } catch (IOException e) {
            state = State.FAILED;
            failure = e;
            discardTemp();
            throw e;
        }
        state = State.FINISHED;
        return new SnapshotResult(target, header, keys, sink.bytes());
    }

    /**
     * Abandons the snapshot and deletes its temp file; the target is untouched. On the keyspace
     * thread while the snapshot is running (it detaches the copy-on-write hook); any thread once
     * {@link #step} returned true. A no-op after finish or a failure.
     */
    public void abort() {
        State s = state;
        if (s == State.FINISHED || s == State.ABORTED || s == State.FAILED) {
            return;
        }
        if (s == State.RUNNING) {
            keyspace.endSnapshot(hook);
        }
        state = State.ABORTED;
        discardTemp();
    }

    /** Whether every key is written (step returned true). */
    public boolean written() {
        State s = state;
        return s == State.WRITTEN || s == State.FINISHED;
    }

    /** Keys written so far. */
    public long keysWritten() {
        return keys;
    }

    public Path target() {
        return target;
    }

    /** The copy-on-write hook: a write is about to change e, which the snapshot has not written. */
    private void copyBeforeChange(KeyTable table, KeyEntry e) {
        if (state != State.RUNNING) {
            return;
        }
        for (int db = 0; db < tables.length; db++) {
            if (tables[db] == table) {
                write(db, e);
                return;
            }
        }
        // Unreachable: only entries of the captured tables are unclaimed.
        fail(new IOException("snapshot copy-on-write for a key outside the captured tables"));
    }

    private void visitScanned(KeyEntry e) {
        if (state == State.RUNNING && keyspace.claimForSnapshot(e)) {
            write(scanDb, e);
        }
    }

    /** Appends one key as [EXPIRETIME_MS deadline] type key value; failures are kept, not thrown. */
    private void write(int db, KeyEntry e) {
        try {
            select(db);
            if (e.hasExpiry()) {
                batch.writeByte(RdbOpcode.EXPIRETIME_MS);
                batch.writeLongLE(e.expireAt());
            }
            // The key's version (the index that last changed it; WATCH compares it) rides in the
            // IDLE opcode, which Redis reads as LRU idle time and otherwise ignores.
            batch.writeByte(RdbOpcode.IDLE);
            batch.writeLength(e.version());
            // The value codecs write the type byte first; the key goes between it and the value.
            valueBuf.reset();
            RdbValues.write(valueBuf, e.value());
            ByteBuffer v = valueBuf.contents();
            batch.writeByte(v.get(0));
            batch.writeString(e.key());
            batch.writeRaw(v.array(), 1, v.remaining() - 1);
            keys++;
            if (batch.size() >= FLUSH_BYTES) {
                sink.drain(batch);
            }
        } catch (IOException ex) {
            fail(ex);
        } catch (UnsupportedTypeException ex) {
            fail(new IOException("snapshot cannot write a key of this type: " + ex.getMessage(), ex));
        }
    }

    private void select(int db) {
        if (db == selectedDb) {
            return;
        }
        batch.writeByte(RdbOpcode.SELECTDB);
        batch.writeLength(db);
        if (!dbStarted[db]) {
            dbStarted[db] = true;
            batch.writeByte(RdbOpcode.RESIZEDB);
            batch.writeLength(sizeAtBegin[db]);
            batch.writeLength(expiringAtBegin[db]);
        }
        selectedDb = db;
    }

    /** Keyspace thread: gives up after an I/O error; the next step throws it. */
    private void fail(IOException e) {
        failure = e;
        state = State.FAILED;
        keyspace.endSnapshot(hook);
        discardTemp();
    }

    private void discardTemp() {
        try {
            sink.close();
        } catch (IOException ignored) {
            // closing a channel we are about to delete the file of
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a leftover temp file is overwritten by the next snapshot
        }
    }
}
