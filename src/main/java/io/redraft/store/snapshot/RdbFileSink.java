package io.redraft.store.snapshot;

import io.redraft.store.rdb.Crc64;
import io.redraft.store.rdb.RdbEncoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The output side of a snapshot file: appends whole batches of encoded bytes to a file channel
 * and keeps the running CRC-64 of everything appended, which becomes the RDB trailer.
 */
final class RdbFileSink implements AutoCloseable {
    private final FileChannel channel;
    private long crc;
    private long bytes;

    RdbFileSink(FileChannel channel) {
        this.channel = channel;
    }

    /** Appends what batch holds, then empties it for reuse. */
    void drain(RdbEncoder batch) throws IOException {
        ByteBuffer b = batch.contents();
        crc = Crc64.update(crc, b.array(), b.arrayOffset() + b.position(), b.remaining());
        bytes += b.remaining();
        while (b.hasRemaining()) {
            channel.write(b);
        }
        batch.reset();
    }

    /** The CRC-64 of every byte appended so far. */
    long crc() {
        return crc;
    }

    long bytes() {
        return bytes;
    }

    /** Forces the file's content and metadata to disk. */
    void sync() throws IOException {
        channel.force(true);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
