package io.redraft.raft.net;

import io.redraft.raft.Membership;
import io.redraft.raft.Message;
import io.redraft.raft.MessageType;
import io.redraft.raft.Snapshot;
import io.redraft.raft.SnapshotMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sender ({@link SnapshotTransfer}) and receiver ({@link SnapshotAssembler}) of chunked snapshots, without sockets. */
@Timeout(30)
class SnapshotAssemblerTest {

    private static Message snapshotMessage(byte[] data) {
        return Message.builder(MessageType.SNAPSHOT, 1, 2, 3)
                .snapshot(new Snapshot(new SnapshotMetadata(100, 3, Membership.ofVoters(1, 2, 3)), data)).build();
    }

    /** Runs a transfer through the codec and the assembler, as the two ends of a connection would. */
    private static Message transfer(SnapshotTransfer t, int chunkBytes, SnapshotAssembler a) throws Exception {
        int chunks = 0;
        while (true) {
            byte[] wire = t.nextFrame(chunkBytes);
            PeerFrame f = PeerFrameCodec.decode(ByteBuffer.wrap(wire, 4, wire.length - 4));
            if (f instanceof PeerFrame.SnapshotChunk c) {
                assertTrue(c.data().length <= chunkBytes);
                a.accept(c);
                chunks++;
            } else {
                assertTrue(t.done());
                PeerFrame.Raft r = (PeerFrame.Raft) f;
                Message m = r.message();
                assertTrue(chunks >= 1);
                return PeerFrameCodec.withSnapshotData(m, a.take(m.snapshot.metadata().index(), m.snapshot.metadata().term(), r.chunkedSnapshotBytes()));
            }
        }
    }

    @Test
    void arrayAndFileSourcesReassembleIntact(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        byte[] data = new byte[100_003];
        new Random(5).nextBytes(data);
        Message m = snapshotMessage(data);
        SnapshotAssembler a = new SnapshotAssembler(1 << 20);
        Messages.assertSame(m, transfer(new SnapshotTransfer(m, SnapshotTransfer.of(data)), 4096, a));

        Path file = dir.resolve("snap");
        Files.write(file, data);
        Message got = transfer(new SnapshotTransfer(snapshotMessage(new byte[0]), SnapshotTransfer.of(file)), 10_000, a);
        assertArrayEquals(data, got.snapshot.data());

        Message empty = snapshotMessage(new byte[0]);
        Messages.assertSame(empty, transfer(new SnapshotTransfer(empty, SnapshotTransfer.of(new byte[0])), 4096, a));
    }

    @Test
    void outOfSequenceChunksAndMissingDataAreProtocolErrors() {
        SnapshotAssembler a = new SnapshotAssembler(1000);
        assertThrows(PeerProtocolException.class, () -> a.accept(new PeerFrame.SnapshotChunk(1, 1, 10, 20, new byte[10], true)));
        assertThrows(PeerProtocolException.class, () -> a.accept(new PeerFrame.SnapshotChunk(1, 1, 0, 5000, new byte[10], false)));
        a.accept(new PeerFrame.SnapshotChunk(1, 1, 0, 20, new byte[10], false));
        assertThrows(PeerProtocolException.class, () -> a.take(1, 1, 20));
        assertThrows(PeerProtocolException.class, () -> a.accept(new PeerFrame.SnapshotChunk(1, 1, 15, 20, new byte[5], true)));
        // a fresh offset-0 chunk restarts the transfer
        a.accept(new PeerFrame.SnapshotChunk(2, 1, 0, 4, new byte[]{1, 2}, false));
        a.accept(new PeerFrame.SnapshotChunk(2, 1, 2, 4, new byte[]{3, 4}, true));
        assertThrows(PeerProtocolException.class, () -> a.take(2, 9, 4));
        assertArrayEquals(new byte[]{1, 2, 3, 4}, a.take(2, 1, 4));
        assertThrows(PeerProtocolException.class, () -> a.take(2, 1, 4));
    }
}
