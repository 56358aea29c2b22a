package io.redraft.raft.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** {@code <dir>/snapshot.meta}: the metadata of the latest durable snapshot, replaced atomically. */
public final class SnapshotMetaFile {
    static final String NAME = "snapshot.meta";
    private static final int MAGIC = 0x4d534452; // "RDSM"
    private static final byte VERSION = 1;

    private final Path file;

    public SnapshotMetaFile(Path dir) {
        this.file = dir.resolve(NAME);
    }

    public Path path() {
        return file;
    }

    /** The saved metadata, or {@link SnapshotMeta#NONE}; a damaged file throws. */
    public SnapshotMeta load() throws IOException {
        byte[] body = ChecksummedFile.read(file, MAGIC, VERSION);
        if (body == null) return SnapshotMeta.NONE;
        ByteBuffer bb = ByteBuffer.wrap(body);
        if (body.length < 20) throw new CorruptLogException(file, 0, "bad body length " + body.length);
        long index = bb.getLong();
        long term = bb.getLong();
        int len = bb.getInt();
        if (len != bb.remaining()) throw new CorruptLogException(file, 0, "bad membership length " + len);
        byte[] membership = new byte[len];
        bb.get(membership);
        return new SnapshotMeta(index, term, membership);
    }

    public void save(SnapshotMeta m) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(20 + m.membership().length);
        bb.putLong(m.index()).putLong(m.term()).putInt(m.membership().length).put(m.membership());
        ChecksummedFile.write(file, MAGIC, VERSION, bb.array());
    }
}
