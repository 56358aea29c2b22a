package io.redraft.cluster;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * What the Raft log carries for a write: the command's argument vector, the database it runs in
 * and the leader's wall-clock time when it was proposed (the "now" of its apply on every node).
 *
 * <p>Kinds: {@link #COMMAND} one client command; {@link #EXPIRE} the deletion of a key whose
 * deadline has passed (argv = [key]), proposed by the active expiry cycle and applied only if
 * the key is still expired at the entry's time; {@link #TRANSACTION} a MULTI/EXEC block with
 * its WATCHed keys, the payload laid out in argv by {@link TransactionEntry}; {@link #BLOCK} a
 * blocking command (BLPOP…) that may wait, argv = [owner run id, owner client id, command
 * argv...]; {@link #UNBLOCK} the end of blocked commands that did not get data, argv =
 * [TIMEOUT|ERROR, waiter id...] (see {@link BlockingApply}); {@link #BATCH} several COMMAND and
 * EXPIRE entries proposed together as one log entry, argv = their encodings in order (see
 * {@link #batch} and {@link #decodeParts}).
 */
public record WriteEntry(byte kind, int db, long timestamp, byte[][] argv) {
    public static final byte COMMAND = 1;
    public static final byte EXPIRE = 2;
    public static final byte TRANSACTION = 3;
    public static final byte BLOCK = 4;
    public static final byte UNBLOCK = 5;
    public static final byte BATCH = 6;

    public static WriteEntry command(int db, long timestamp, byte[][] argv) {
        return new WriteEntry(COMMAND, db, timestamp, argv);
    }

    /** A command Redraft proposes itself (RAFT.NODE ...): database 0, stamped with this node's clock. */
    public static WriteEntry internal(String... argv) {
        byte[][] a = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            a[i] = argv[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return command(0, System.currentTimeMillis(), a);
    }

    /** Binary form: kind, db, timestamp, argc, then each argument as length + bytes. */
    public byte[] encode() {
        int size = 1 + 4 + 8 + 4;
        for (byte[] a : argv) {
            size += 4 + a.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(kind).putInt(db).putLong(timestamp).putInt(argv.length);
        for (byte[] a : argv) {
            b.putInt(a.length).put(a);
        }
        return b.array();
    }

    /**
     * True for an encoded entry that may share a log entry with others: a client's plain command
     * or an expiry. Each part of a batch applies at the batch's index, so kinds whose apply uses
     * the index as an identity (BLOCK waiters, a transaction's versions) stay on their own.
     */
    public static boolean batchable(byte[] encoded) {
        return encoded[0] == COMMAND || encoded[0] == EXPIRE;
    }

    /** One log entry for several encoded batchable entries, applied in this order. */
    public static byte[] batch(List<byte[]> encoded) {
        return new WriteEntry(BATCH, 0, 0, encoded.toArray(new byte[0][])).encode();
    }

    /** The entries one log entry's data holds: a batch's parts in order, or the entry itself. */
    public static List<WriteEntry> decodeParts(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        if (data[0] != BATCH) {
            return List.of(decode(b));
        }
        b.position(1 + 4 + 8);
        WriteEntry[] parts = new WriteEntry[b.getInt()];
        for (int i = 0; i < parts.length; i++) {
            b.getInt(); // the part's length: decode reads exactly that much
            parts[i] = decode(b);
        }
        return Arrays.asList(parts);
    }

    public static WriteEntry decode(byte[] data) {
        return decode(ByteBuffer.wrap(data));
    }

    private static WriteEntry decode(ByteBuffer b) {
        byte kind = b.get();
        int db = b.getInt();
        long ts = b.getLong();
        int argc = b.getInt();
        byte[][] argv = new byte[argc][];
        for (int i = 0; i < argc; i++) {
            argv[i] = new byte[b.getInt()];
            b.get(argv[i]);
        }
        return new WriteEntry(kind, db, ts, argv);
    }
}
