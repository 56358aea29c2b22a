package io.redraft.raft.net;

import io.redraft.raft.Message;
import io.redraft.raft.SnapshotMetadata;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sender side of one InstallSnapshot: yields the snapshot data as chunk frames, one per
 * {@link #nextFrame} call so the event loop can stop whenever the socket is not writable, and finally
 * the SNAPSHOT message frame that refers to the data ({@link PeerFrame.Raft#chunkedSnapshotBytes}).
 * Chunks are read lazily, so a file-backed snapshot is never held in memory whole.
 */
final class SnapshotTransfer implements Outbound {

    /** Where the data comes from. */
    interface Source extends AutoCloseable {
        long size() throws IOException;

        byte[] read(long offset, int len) throws IOException;

        @Override
        default void close() throws IOException { }
    }

    static Source of(byte[] data) {
        return new Source() {
            public long size() { return data.length; }

            public byte[] read(long offset, int len) {
                byte[] b = new byte[len];
                System.arraycopy(data, (int) offset, b, 0, len);
                return b;
            }
        };
    }

    static Source of(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        return new Source() {
            public long size() throws IOException { return ch.size(); }

            public byte[] read(long offset, int len) throws IOException {
                ByteBuffer b = ByteBuffer.allocate(len);
                while (b.hasRemaining()) {
                    if (ch.read(b, offset + b.position()) < 0) throw new IOException(file + " shrank during snapshot transfer");
                }
                return b.array();
            }

            public void close() throws IOException { ch.close(); }
        };
    }

    final Message message;
    private final Source source;
    private final long total;
    private long offset;
    private boolean chunksDone;
    private boolean done;

    /** @param message the SNAPSHOT message; its own data, if any, is ignored in favour of {@code source} */
    SnapshotTransfer(Message message, Source source) throws IOException {
        this.message = message;
        this.source = source;
        this.total = source.size();
    }

    @Override
    public boolean droppable() {
        return false;
    }

    long index() {
        return message.snapshot.metadata().index();
    }

    /** The next frame to write; after the message frame {@link #done()} is true. */
    byte[] nextFrame(int chunkBytes) throws IOException {
        if (done) throw new IllegalStateException("transfer finished");
        SnapshotMetadata md = message.snapshot.metadata();
        if (!chunksDone) {
            int len = (int) Math.min(chunkBytes, total - offset);
            boolean last = offset + len == total;
            byte[] frame = PeerFrameCodec.encode(new PeerFrame.SnapshotChunk(md.index(), md.term(), offset, total, source.read(offset, len), last));
            offset += len;
            chunksDone = last;
            return frame;
        }
        done = true;
        close();
        return PeerFrameCodec.encodeMessage(message, total);
    }

    boolean done() {
        return done;
    }

    long total() {
        return total;
    }

    void close() {
        try {
            source.close();
        } catch (IOException ignored) {
            // read-only file: nothing to lose
        }
    }
}
