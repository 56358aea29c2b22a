package io.redraft.store.snapshot;

import io.redraft.store.Keyspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** A truncated or damaged snapshot is rejected with a clear error before any key is loaded. */
@Timeout(60)
class SnapshotCorruptionTest {
    @TempDir
    Path dir;
    private Path good;
    private byte[] bytes;

    @BeforeEach
    void writeSnapshot() throws Exception {
        StateMachineDriver sm = SnapshotRoundTripTest.populated();
        good = dir.resolve("good.rdb");
        SnapshotRoundTripTest.snapshot(sm.keyspace(), good, new SnapshotHeader(sm.index(), 3, new byte[] {9}, sm.time()));
        bytes = Files.readAllBytes(good);
        KeyspaceSnapshotLoader.load(good, new Keyspace(16)); // the intact file loads
    }

    private SnapshotCorruptException rejected(byte[] content, String name) throws Exception {
        return rejected(content, name, true);
    }

    private SnapshotCorruptException rejected(byte[] content, String name, boolean beforeLoading) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, content);
        Keyspace ks = new Keyspace(16);
        SnapshotCorruptException e = assertThrows(SnapshotCorruptException.class,
                () -> KeyspaceSnapshotLoader.load(file, ks));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        if (beforeLoading) {
            assertEquals(0, ks.totalKeys(), "nothing loaded from a file whose checksum fails");
        }
        return e;
    }

    @Test
    void truncatedFilesAreRejected() throws Exception {
        for (int len : new int[] {bytes.length - 1, bytes.length - 8, bytes.length - 9, bytes.length / 2, 100, 17, 9, 0}) {
            SnapshotCorruptException e = rejected(Arrays.copyOf(bytes, len), "truncated-" + len + ".rdb");
            assertTrue(e.getMessage().contains("checksum mismatch") || e.getMessage().contains("too short"),
                    e.getMessage());
        }
    }

    @Test
    void everyFlippedByteIsDetected() throws Exception {
        // Every position of a small file, sampled positions of the big one.
        for (int i = 0; i < bytes.length; i += 1 + i / 16) {
            byte[] bad = bytes.clone();
            bad[i] ^= 0x20;
            SnapshotCorruptException e = rejected(bad, "flipped.rdb");
            assertTrue(e.getMessage().contains("checksum mismatch") || e.getMessage().contains("REDIS magic")
                    || e.getMessage().contains("version"), e.getMessage());
        }
    }

    @Test
    void appendedGarbageIsDetected() throws Exception {
        // Zeros after a CRC-64 with no final xor keep the checksum valid (a CRC property), so
        // this is caught while parsing, after keys were loaded: the caller discards the keyspace.
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        SnapshotCorruptException e = rejected(longer, "longer.rdb", false);
        assertTrue(e.getMessage().contains("after EOF"), e.getMessage());
        longer[longer.length - 1] = 1;
        rejected(longer, "longer1.rdb");
    }

    @Test
    void notAnRdbFile() throws Exception {
        SnapshotCorruptException e = rejected("hello, this is not a snapshot file at all"
                .getBytes(StandardCharsets.US_ASCII), "text.rdb");
        assertTrue(e.getMessage().contains("not an RDB file"), e.getMessage());
    }

    @Test
    void unknownEncodingHintIsRefused() throws Exception {
        // A hint the loader does not know could name a layout it would then fail to rebuild:
        // refused (checksum valid, so caught while parsing) rather than guessed.
        byte[] hint = "redraft-encoding".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(bytes, hint);
        assertTrue(at > 0, "populated() has a hashtable set, so the file has a hint");
        byte[] bad = bytes.clone();
        int value = at + hint.length + 1; // the length byte of "hashtable", then its text
        assertEquals('h', bad[value]);
        bad[value + 8] = 'x';
        long crc = io.redraft.store.rdb.Crc64.update(0, bad, 0, bad.length - 8);
        for (int i = 0; i < 8; i++) {
            bad[bad.length - 8 + i] = (byte) (crc >>> (8 * i));
        }
        SnapshotCorruptException e = rejected(bad, "hint.rdb", false);
        assertTrue(e.getMessage().contains("unknown key encoding hint hashtablx"), e.getMessage());
    }

    private static int indexOf(byte[] data, byte[] part) {
        for (int i = 0; i + part.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void tooNewAVersionIsRefused() throws Exception {
        byte[] v11 = bytes.clone();
        v11[8] = '1';
        v11[7] = '1'; // "REDIS0011"
        SnapshotCorruptException e = rejected(v11, "v11.rdb");
        assertTrue(e.getMessage().contains("unsupported RDB version 11"), e.getMessage());
    }
}
