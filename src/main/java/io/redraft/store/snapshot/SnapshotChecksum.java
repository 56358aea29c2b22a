package io.redraft.store.snapshot;

import io.redraft.store.rdb.Crc64;
import io.redraft.store.rdb.RdbType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks a whole RDB file before anything is loaded from it: the "REDIS" magic, a version we can
 * read, and the CRC-64 trailer over every byte before it. A truncated file fails the checksum
 * (its last eight bytes are not the CRC of the rest), so one streaming pass catches truncation
 * and damage alike, and the loader never fills a keyspace from a file it will then reject.
 */
final class SnapshotChecksum {
    private static final int CHUNK = 1 << 20;

    private SnapshotChecksum() {
    }

    /** The RDB version of a sound file; a {@link SnapshotCorruptException} otherwise. */
    static int verify(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < RdbOpcode.HEADER_LENGTH + 1 + RdbOpcode.TRAILER_LENGTH) {
                throw new SnapshotCorruptException(file, "file too short (" + size + " bytes)");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, size));
            long covered = size - RdbOpcode.TRAILER_LENGTH;
            long crc = 0;
            long pos = 0;
            int version = -1;
            while (pos < covered) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), covered - pos));
                readFully(ch, buf, pos, file);
                if (pos == 0) {
                    version = header(file, buf.array());
                }
                crc = Crc64.update(crc, buf.array(), 0, buf.limit());
                pos += buf.limit();
            }
            ByteBuffer trailer = ByteBuffer.allocate(RdbOpcode.TRAILER_LENGTH);
            readFully(ch, trailer, covered, file);
            long stored = trailer.order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
            if (stored != crc) {
                throw new SnapshotCorruptException(file, String.format(
                        "checksum mismatch (stored %016x, computed %016x over %d bytes): truncated or damaged",
                        stored, crc, covered));
            }
            return version;
        }
    }

    private static int header(Path file, byte[] b) throws SnapshotCorruptException {
        String magic = new String(b, 0, RdbOpcode.HEADER_LENGTH, StandardCharsets.US_ASCII);
        if (!magic.startsWith("REDIS") || !magic.substring(5).chars().allMatch(Character::isDigit)) {
            throw new SnapshotCorruptException(file, "not an RDB file (no REDIS magic)");
        }
        int version = Integer.parseInt(magic.substring(5));
        if (version < RdbOpcode.FIRST_CHECKSUMMED_VERSION || version > RdbType.RDB_VERSION) {
            throw new SnapshotCorruptException(file, "unsupported RDB version " + version
                    + " (readable: " + RdbOpcode.FIRST_CHECKSUMMED_VERSION + " to " + RdbType.RDB_VERSION + ")");
        }
        return version;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file) throws IOException {
        long at = pos;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new SnapshotCorruptException(file, "file shrank while being read");
            }
            at += n;
        }
        buf.flip();
    }
}
