package io.redraft.raft.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Small metadata files (hard state, journal floor, snapshot metadata) replaced atomically:
 * write a temp file, fsync it, rename over the target, fsync the directory. A reader sees the old
 * or the new content, never a mix. Layout: {@code magic:4 version:1 length:4 body crc32c:4},
 * the CRC covering everything before it, so a damaged file is reported rather than misread.
 */
final class ChecksummedFile {
    private ChecksummedFile() {
    }

    static void write(Path file, int magic, byte version, byte[] body) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(4 + 1 + 4 + body.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(magic).put(version).putInt(body.length).put(body);
        CRC32C crc = new CRC32C();
        crc.update(bb.array(), 0, bb.position());
        bb.putInt((int) crc.getValue());
        bb.flip();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bb.hasRemaining()) ch.write(bb);
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("file system cannot rename atomically: " + file, e);
        }
        fsyncDirectory(file.toAbsolutePath().getParent());
    }

    /**
     * Returns the body of {@code file}, or null if it does not exist.
     *
     * @throws CorruptLogException if the file exists but is damaged or of another kind/version
     */
    static byte[] read(Path file, int magic, byte version) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < 13) throw new CorruptLogException(file, 0, "file too short (" + all.length + " bytes)");
        if (bb.getInt() != magic) throw new CorruptLogException(file, 0, "not the expected kind of file");
        byte v = bb.get();
        int len = bb.getInt();
        if (len < 0 || len != all.length - 13) throw new CorruptLogException(file, 0, "bad length " + len);
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        if (ByteBuffer.wrap(all, all.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() != (int) crc.getValue()) {
            throw new CorruptLogException(file, 0, "checksum mismatch");
        }
        if (v != version) throw new CorruptLogException(file, 0, "unsupported version " + v);
        byte[] body = new byte[len];
        bb.get(body);
        return body;
    }

    /** Makes a rename or a file creation in {@code dir} durable (Linux needs the directory synced). */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
