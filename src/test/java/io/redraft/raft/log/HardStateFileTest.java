package io.redraft.raft.log;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class HardStateFileTest {
    @TempDir
    Path dir;

    @Test
    void absentLoadsInitial() throws Exception {
        assertEquals(HardState.INITIAL, new HardStateFile(dir).load());
    }

    @Test
    void saveReplacesAtomicallyAndReloads() throws Exception {
        HardStateFile f = new HardStateFile(dir);
        f.save(new HardState(3, 2, 10));
        f.save(new HardState(4, 1, 12));
        assertEquals(new HardState(4, 1, 12), new HardStateFile(dir).load());
        assertFalse(Files.exists(dir.resolve(HardStateFile.NAME + ".tmp")));
        // a leftover temp file from a crash mid-save is ignored
        Files.write(dir.resolve(HardStateFile.NAME + ".tmp"), new byte[] {1, 2, 3});
        assertEquals(new HardState(4, 1, 12), f.load());
        f.save(new HardState(5, HardState.NO_VOTE, 12));
        assertEquals(new HardState(5, HardState.NO_VOTE, 12), f.load());
    }

    @Test
    void corruptFileIsAClearError() throws Exception {
        HardStateFile f = new HardStateFile(dir);
        f.save(new HardState(7, 3, 99));
        byte[] b = Files.readAllBytes(f.path());
        b[12] ^= 1;
        Files.write(f.path(), b);
        CorruptLogException e = assertThrows(CorruptLogException.class, f::load);
        assertTrue(e.getMessage().contains("hardstate"), e.getMessage());
        Files.write(f.path(), new byte[] {1, 2});
        assertThrows(CorruptLogException.class, f::load);
    }

    @Test
    void snapshotMetaRoundTrips() throws Exception {
        SnapshotMetaFile f = new SnapshotMetaFile(dir);
        assertEquals(0, f.load().index());
        f.save(new SnapshotMeta(100, 4, new byte[] {9, 8, 7}));
        SnapshotMeta m = new SnapshotMetaFile(dir).load();
        assertEquals(100, m.index());
        assertEquals(4, m.term());
        assertArrayEquals(new byte[] {9, 8, 7}, m.membership());
    }
}
