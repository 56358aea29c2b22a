package io.redraft.cluster;

import java.nio.ByteBuffer;

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
 * [TIMEOUT|ERROR, waiter id...] (see {@link BlockingApply}).
 */
public record WriteEntry(byte kind, int db, long timestamp, byte[][] argv) {
    public static final byte COMMAND = 1;
    public static final byte EXPIRE = 2;
    public static final byte TRANSACTION = 3;
    public static final byte BLOCK = 4;
    public static final byte UNBLOCK = 5;

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

    public static WriteEntry decode(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
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
