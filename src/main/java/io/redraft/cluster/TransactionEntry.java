package io.redraft.cluster;

import io.redraft.server.TransactionState.WatchedKey;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of a {@link WriteEntry#TRANSACTION} entry: the commands queued between MULTI and
 * EXEC and the keys the client WATCHed, so that the whole transaction, its WATCH check included,
 * is one log entry applied the same way on every node.
 *
 * <p>It rides in the entry's argv, so {@link WriteEntry#encode()} needs no special case:
 * argv[0] is a header (command count, each command's argc, then each watched key as db, watch
 * index, live flag, key), and the commands' arguments follow, flattened in order.
 */
public record TransactionEntry(List<byte[][]> commands, List<WatchedKey> watched) {

    public WriteEntry toEntry(int db, long timestamp) {
        int headerSize = 4 + 4 * commands.size() + 4;
        int args = 0;
        for (byte[][] argv : commands) {
            args += argv.length;
        }
        for (WatchedKey w : watched) {
            headerSize += 4 + 8 + 1 + 4 + w.key().length;
        }
        ByteBuffer header = ByteBuffer.allocate(headerSize);
        header.putInt(commands.size());
        for (byte[][] argv : commands) {
            header.putInt(argv.length);
        }
        header.putInt(watched.size());
        for (WatchedKey w : watched) {
            header.putInt(w.db()).putLong(w.since()).put((byte) (w.live() ? 1 : 0));
            header.putInt(w.key().length).put(w.key());
        }
        byte[][] flat = new byte[1 + args][];
        flat[0] = header.array();
        int i = 1;
        for (byte[][] argv : commands) {
            for (byte[] a : argv) {
                flat[i++] = a;
            }
        }
        return new WriteEntry(WriteEntry.TRANSACTION, db, timestamp, flat);
    }

    public static TransactionEntry fromEntry(WriteEntry entry) {
        byte[][] flat = entry.argv();
        ByteBuffer header = ByteBuffer.wrap(flat[0]);
        int count = header.getInt();
        List<byte[][]> commands = new ArrayList<>(count);
        int next = 1;
        for (int c = 0; c < count; c++) {
            byte[][] argv = new byte[header.getInt()][];
            System.arraycopy(flat, next, argv, 0, argv.length);
            next += argv.length;
            commands.add(argv);
        }
        int watchCount = header.getInt();
        List<WatchedKey> watched = new ArrayList<>(watchCount);
        for (int w = 0; w < watchCount; w++) {
            int db = header.getInt();
            long since = header.getLong();
            boolean live = header.get() != 0;
            byte[] key = new byte[header.getInt()];
            header.get(key);
            watched.add(new WatchedKey(db, key, since, live));
        }
        return new TransactionEntry(commands, watched);
    }
}
