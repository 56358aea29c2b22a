package io.redraft.store.snapshot;

import io.redraft.store.rdb.RdbDecoder;
import io.redraft.store.rdb.RdbFormatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads records of an RDB file through a window of the file, so a file larger than memory can be
 * loaded one record at a time. A record is decoded by {@link RdbDecoder} over the window; if it
 * runs past the window's end, the window is refilled (and grown when one record needs it) and the
 * record decoded again from its start. Only a record that fails with the whole rest of the file in
 * the window is a format error.
 */
final class RdbFileSource implements AutoCloseable {
    private static final int INITIAL_WINDOW = 1 << 20;

    /** One record's decoding, restarted from scratch when the window was too short. */
    interface Record<T> {
        T read(RdbDecoder in) throws RdbFormatException;
    }

    private final Path file;
    private final FileChannel channel;
    private byte[] buf = new byte[INITIAL_WINDOW];
    /** File offset of buf[0]. */
    private long base;
    private int pos;
    private int limit;
    private boolean eof;

    RdbFileSource(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** File offset of the next unread byte. */
    long offset() {
        return base + pos;
    }

    <T> T read(Record<T> record) throws IOException {
        while (true) {
            RdbDecoder in = new RdbDecoder(buf, pos, limit);
            try {
                T value = record.read(in);
                pos = in.position();
                return value;
            } catch (RdbFormatException e) {
                if (eof) {
                    throw new SnapshotCorruptException(file, "bad record at offset " + offset() + ": " + e.getMessage());
                }
                refill();
            }
        }
    }

    /** Drops consumed bytes, grows the window if the pending record fills half of it, reads on. */
    private void refill() throws IOException {
        int pending = limit - pos;
        if (pending > buf.length / 2) {
            if (buf.length > Integer.MAX_VALUE / 2 - 16) {
                throw new SnapshotCorruptException(file, "record at offset " + offset() + " larger than 1 GB");
            }
            buf = Arrays.copyOfRange(buf, pos, pos + buf.length * 2);
        } else {
            System.arraycopy(buf, pos, buf, 0, pending);
        }
        base += pos;
        pos = 0;
        limit = pending;
        ByteBuffer b = ByteBuffer.wrap(buf, limit, buf.length - limit);
        while (b.hasRemaining()) {
            int n = channel.read(b, base + b.position());
            if (n < 0) {
                eof = true;
                break;
            }
        }
        limit = b.position();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
