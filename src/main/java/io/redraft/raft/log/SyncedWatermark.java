package io.redraft.raft.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * {@code <dir>/journal.synced}: the highest index known to have been synced. On open, damage at or
 * below it is corruption of acknowledged data (fatal); damage above it is a torn tail (dropped).
 *
 * <p>Raising it is written in place after each sync without an fsync of its own: if the write is
 * lost the file holds a lower value, which only makes recovery more lenient, never wrong. Lowering
 * it (suffix truncation, reset) is synced before the new, unsynced records can follow, otherwise a
 * torn new record below a stale high value would be mistaken for corruption.
 */
final class SyncedWatermark implements AutoCloseable {
    static final String NAME = "journal.synced";
    private final Path file;
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private long value;

    SyncedWatermark(Path dir) throws IOException {
        this.file = dir.resolve(NAME);
        this.ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ByteBuffer in = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining() && ch.read(in, in.position()) > 0) {
            // read until full or EOF
        }
        // A missing, short or torn file reads as 0: the most lenient value, safe by the rule above.
        if (in.position() == 12) {
            long v = in.getLong(0);
            crc.reset();
            crc.update(in.array(), 0, 8);
            value = in.getInt(8) == (int) crc.getValue() ? v : 0;
        }
    }

    long value() {
        return value;
    }

    Path path() {
        return file;
    }

    /** Records a new value; {@code durable} forces it to disk (needed when lowering). */
    void set(long v, boolean durable) throws IOException {
        value = v;
        buf.clear();
        buf.putLong(v);
        crc.reset();
        crc.update(buf.array(), 0, 8);
        buf.putInt((int) crc.getValue());
        buf.flip();
        while (buf.hasRemaining()) ch.write(buf, buf.position());
        if (durable) ch.force(false);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
