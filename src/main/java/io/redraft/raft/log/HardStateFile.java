package io.redraft.raft.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * {@code <dir>/hardstate}: term, vote and commit, replaced atomically and synced on every
 * {@link #save}, so a vote or term is durable before any message depending on it leaves the node.
 */
public final class HardStateFile {
    static final String NAME = "hardstate";
    private static final int MAGIC = 0x53484452; // "RDHS"
    private static final byte VERSION = 1;

    private final Path file;

    public HardStateFile(Path dir) {
        this.file = dir.resolve(NAME);
    }

    public Path path() {
        return file;
    }

    /** The saved state, or {@link HardState#INITIAL} if never saved; a damaged file throws. */
    public HardState load() throws IOException {
        byte[] body = ChecksummedFile.read(file, MAGIC, VERSION);
        if (body == null) return HardState.INITIAL;
        if (body.length != 24) throw new CorruptLogException(file, 0, "bad body length " + body.length);
        ByteBuffer bb = ByteBuffer.wrap(body);
        return new HardState(bb.getLong(), bb.getLong(), bb.getLong());
    }

    /** Durably replaces the state; returns once it survives a crash. */
    public void save(HardState s) throws IOException {
        byte[] body = ByteBuffer.allocate(24).putLong(s.term()).putLong(s.vote()).putLong(s.commit()).array();
        ChecksummedFile.write(file, MAGIC, VERSION, body);
    }
}
