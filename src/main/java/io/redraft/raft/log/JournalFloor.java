package io.redraft.raft.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * {@code <dir>/journal.floor}: where the journal starts after compaction or a reset to a snapshot.
 * Cycle files below {@code firstCycle} are dead (deleted, or left over by a crash mid-deletion);
 * {@code prevIndex}/{@code prevTerm} are the index and term just before the first kept entry, so
 * {@code term(firstIndex - 1)} still answers after the entry itself is gone.
 */
record JournalFloor(int firstCycle, long prevIndex, long prevTerm) {
    static final String NAME = "journal.floor";
    private static final int MAGIC = 0x4c464452; // "RDFL"
    private static final byte VERSION = 1;
    static final JournalFloor EMPTY = new JournalFloor(0, 0, 0);

    static JournalFloor load(Path dir) throws IOException {
        Path file = dir.resolve(NAME);
        byte[] body = ChecksummedFile.read(file, MAGIC, VERSION);
        if (body == null) return EMPTY;
        if (body.length != 20) throw new CorruptLogException(file, 0, "bad body length " + body.length);
        ByteBuffer bb = ByteBuffer.wrap(body);
        return new JournalFloor(bb.getInt(), bb.getLong(), bb.getLong());
    }

    void save(Path dir) throws IOException {
        byte[] body = ByteBuffer.allocate(20).putInt(firstCycle).putLong(prevIndex).putLong(prevTerm).array();
        ChecksummedFile.write(dir.resolve(NAME), MAGIC, VERSION, body);
    }
}
