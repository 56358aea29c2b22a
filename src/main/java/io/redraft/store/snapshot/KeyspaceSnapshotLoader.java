package io.redraft.store.snapshot;

import io.redraft.store.Database;
import io.redraft.store.EncodingLimits;
import io.redraft.store.KeyEntry;
import io.redraft.store.Keyspace;
import io.redraft.store.RedisValue;
import io.redraft.store.SetEncodingLimits;
import io.redraft.store.rdb.RdbDecoder;
import io.redraft.store.rdb.RdbEncodingChoice;
import io.redraft.store.rdb.RdbValues;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Loads an RDB snapshot file (ours, or one written by Redis 7.0 or older down to RDB version 5)
 * into an empty keyspace. The whole file's CRC-64 is checked first, so a truncated or damaged file
 * is rejected with a {@link SnapshotCorruptException} before any key is created. A file that
 * passes the checksum but is still malformed (written wrongly, or with functions or module data)
 * is rejected while parsing: after any exception the keyspace's content is undefined and must be
 * discarded.
 *
 * <p>Keys are loaded with their deadlines even if those have passed: deleting an expired key is
 * decided by a log entry, never by a node on its own. Values keep the encoding they had when
 * written ({@link RdbEncodingChoice#AS_WRITTEN}, with the writer's per-key "redraft-encoding"
 * hint), not the one a value rebuilt under the limits would get as Redis does on load: the
 * encoding decides the positions SPOP picks from, so a node restored from a snapshot must have
 * the layout of the nodes that replayed the log. The limits still apply where the file is
 * silent (a Redis file's compact types) and convert a value that outgrows them. Each key gets
 * back the version it had (Redraft's files carry it in the IDLE opcode; a Redis file's keys take
 * the snapshot's index), the WATCH ledger is restored, and the keyspace's change counter
 * ("dirty") is reset. Functions and module data are
 * refused. Runs on whichever thread owns the keyspace at the time (start-up, before serving).
 */
public final class KeyspaceSnapshotLoader {
    private KeyspaceSnapshotLoader() {
    }

    /** Loads with the default encoding limits. */
    public static SnapshotLoadResult load(Path file, Keyspace keyspace) throws IOException {
        return load(file, keyspace, EncodingLimits.DEFAULTS, SetEncodingLimits.DEFAULTS);
    }

    public static SnapshotLoadResult load(Path file, Keyspace keyspace, EncodingLimits limits,
                                          SetEncodingLimits setLimits) throws IOException {
        if (keyspace.totalKeys() != 0) {
            throw new IllegalStateException("a snapshot loads into an empty keyspace only");
        }
        int version = SnapshotChecksum.verify(file);
        keyspace.waiters().clear(); // the snapshot's own, if any, replace them
        try (RdbFileSource in = new RdbFileSource(file, FileChannel.open(file, StandardOpenOption.READ))) {
            return new Load(file, keyspace, in, limits, setLimits, version).run();
        }
    }

    /** The state of one load: current database, pending deadline, AUX values seen. */
    private static final class Load {
        private final Path file;
        private final Keyspace keyspace;
        private final RdbFileSource in;
        private final EncodingLimits limits;
        private final SetEncodingLimits setLimits;
        private final int version;
        /** The IDLE value read for the next key, -1 if none. */
        private long idle = -1;
        private Database db;
        private long index;
        private long term;
        private byte[] membership = new byte[0];
        private long ctimeMillis;
        private String redisVersion = "";
        private long keys;
        private long expiring;
        /** How the next key's value is built: AS_WRITTEN unless an encoding hint came first. */
        private RdbEncodingChoice nextChoice = RdbEncodingChoice.AS_WRITTEN;

        Load(Path file, Keyspace keyspace, RdbFileSource in, EncodingLimits limits, SetEncodingLimits setLimits,
             int version) {
            this.file = file;
            this.keyspace = keyspace;
            this.in = in;
            this.limits = limits;
            this.setLimits = setLimits;
            this.version = version;
            this.db = keyspace.db(0);
        }

        SnapshotLoadResult run() throws IOException {
            in.read(d -> d.readRaw(RdbOpcode.HEADER_LENGTH));
            long expireAt = KeyEntry.NO_EXPIRY;
            while (true) {
                int op = in.read(RdbDecoder::readByte);
                switch (op) {
                    case RdbOpcode.EOF -> {
                        return finish();
                    }
                    case RdbOpcode.AUX -> aux(in.read(d -> new byte[][] {d.readString(), d.readString()}));
                    case RdbOpcode.SELECTDB -> selectDb(in.read(RdbDecoder::readLength));
                    case RdbOpcode.RESIZEDB -> db.reserve(in.read(d -> { // keys (a hint, capped against damage), then keys with a deadline
                        long keys = d.readLength();
                        d.readLength();
                        return Math.min(keys, 1L << 24);
                    }));
                    case RdbOpcode.EXPIRETIME_MS -> expireAt = in.read(RdbDecoder::readLongLE);
                    case RdbOpcode.EXPIRETIME -> expireAt = in.read(RdbDecoder::readIntLE) * 1000L;
                    // In Redraft's own files (raft-index given) IDLE carries the key's version;
                    // in Redis's it is LRU metadata, node-local.
                    case RdbOpcode.IDLE -> idle = in.read(RdbDecoder::readLength);
                    case RdbOpcode.FREQ -> in.read(RdbDecoder::readByte); // LFU metadata, node-local
                    case RdbOpcode.FUNCTION, RdbOpcode.FUNCTION2 ->
                            throw corrupt("contains functions, which Redraft does not support");
                    case RdbOpcode.MODULE_AUX -> throw corrupt("contains module data, which Redraft does not support");
                    default -> {
                        loadKey(op, expireAt);
                        expireAt = KeyEntry.NO_EXPIRY;
                        nextChoice = RdbEncodingChoice.AS_WRITTEN;
                    }
                }
            }
        }

        private void loadKey(int type, long expireAt) throws IOException {
            long at = in.offset();
            RdbEncodingChoice choice = nextChoice;
            Object[] kv = in.read(d -> new Object[] {d.readString(), RdbValues.read(d, type, limits, setLimits, choice)});
            byte[] key = (byte[]) kv[0];
            Object value = kv[1];
            if (value instanceof RedisValue v && v.isEmpty()) {
                return; // Redis skips empty collections on load too
            }
            int before = db.size();
            KeyEntry e = db.put(key, value, false);
            if (db.size() == before) {
                throw corrupt("duplicate key in db " + db.id() + " at offset " + at);
            }
            keys++;
            if (expireAt != KeyEntry.NO_EXPIRY) {
                db.setExpireAt(e, expireAt);
                expiring++;
            }
            if (idle >= 0 && index > 0) {
                e.restoreVersion(idle);
            }
            idle = -1;
        }

        private void selectDb(long id) throws SnapshotCorruptException {
            if (id >= keyspace.databaseCount()) {
                throw corrupt("selects db " + id + " but this server has " + keyspace.databaseCount() + " databases");
            }
            db = keyspace.db((int) id);
        }

        private void aux(byte[][] kv) throws SnapshotCorruptException {
            String key = new String(kv[0], StandardCharsets.US_ASCII);
            switch (key) {
                case RdbOpcode.AUX_RAFT_INDEX -> {
                    index = number(key, kv[1]);
                    // Loaded keys take the snapshot's index as their version (WATCH sees later writes).
                    keyspace.beginApply(index);
                }
                case RdbOpcode.AUX_RAFT_TERM -> term = number(key, kv[1]);
                case RdbOpcode.AUX_RAFT_MEMBERSHIP -> membership = kv[1];
                case RdbOpcode.AUX_RAFT_WATCH_LEDGER -> {
                    try {
                        keyspace.watchLedger().restore(kv[1]);
                    } catch (IllegalArgumentException e) {
                        throw corrupt(e.getMessage());
                    }
                }
                case RdbOpcode.AUX_RAFT_WAITERS -> {
                    try {
                        keyspace.waiters().restore(kv[1]);
                    } catch (java.io.IOException | RuntimeException e) {
                        throw corrupt("AUX field " + key + " is malformed");
                    }
                }
                case RdbOpcode.AUX_KEY_ENCODING -> nextChoice = keyEncoding(kv[1]);
                case "ctime" -> ctimeMillis = number(key, kv[1]) * 1000;
                case "redis-ver" -> redisVersion = new String(kv[1], StandardCharsets.US_ASCII);
                default -> {
                    // other AUX fields (redis-bits, used-mem, repl-*, aof-base ...) are informative only
                }
            }
        }

        /** The choice an encoding hint asks for; an unknown one is refused rather than guessed. */
        private RdbEncodingChoice keyEncoding(byte[] hint) throws SnapshotCorruptException {
            String name = new String(hint, StandardCharsets.US_ASCII);
            if (name.equals("hashtable")) {
                return RdbEncodingChoice.HASHTABLE;
            }
            throw corrupt("unknown key encoding hint " + name);
        }

        private long number(String field, byte[] text) throws SnapshotCorruptException {
            try {
                return Long.parseLong(new String(text, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw corrupt("AUX field " + field + " is not a number");
            }
        }

        private SnapshotLoadResult finish() throws IOException {
            long end = in.offset() + RdbOpcode.TRAILER_LENGTH;
            long size = java.nio.file.Files.size(file);
            if (end != size) {
                throw corrupt((size - end) + " unexpected bytes after EOF at offset " + (in.offset() - 1));
            }
            keyspace.resetDirty();
            return new SnapshotLoadResult(new SnapshotHeader(index, term, membership, ctimeMillis),
                    redisVersion, version, keys, expiring, size);
        }

        private SnapshotCorruptException corrupt(String problem) {
            return new SnapshotCorruptException(file, problem);
        }
    }
}
