package io.redraft.raft.net;

import io.redraft.raft.Entry;
import io.redraft.raft.Membership;
import io.redraft.raft.Message;
import io.redraft.raft.MessageType;
import io.redraft.raft.Snapshot;
import io.redraft.raft.SnapshotMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class PeerFrameCodecTest {

    /** Encodes, checks the length prefix, and decodes the body. */
    static PeerFrame roundTrip(PeerFrame f) {
        byte[] wire = PeerFrameCodec.encode(f);
        ByteBuffer b = ByteBuffer.wrap(wire);
        assertEquals(wire.length - 4, b.getInt(), "length prefix");
        assertEquals(PeerFrameCodec.VERSION, wire[4], "version byte first");
        return PeerFrameCodec.decode(b);
    }

    static Message roundTrip(Message m) {
        PeerFrame.Raft r = assertInstanceOf(PeerFrame.Raft.class, roundTrip(new PeerFrame.Raft(m)));
        assertEquals(-1, r.chunkedSnapshotBytes());
        return r.message();
    }

    @Test
    void everyMessageTypeRoundTripsWithAllFields() {
        byte[] blob = "payload".getBytes(StandardCharsets.UTF_8);
        for (MessageType type : MessageType.values()) {
            Message.Builder b = Message.builder(type, 1, 2, 7).logTerm(6).index(100).commit(99).reject(true)
                    .rejectHint(42).context(-5).force(true)
                    .entries(List.of(new Entry(101, 7, Entry.Type.NORMAL, blob), new Entry(102, 7, Entry.Type.NOOP, null),
                            new Entry(103, 7, Entry.Type.MEMBERSHIP, Membership.ofVoters(1, 2, 3).encode())));
            if (type == MessageType.SNAPSHOT) {
                b.snapshot(new Snapshot(new SnapshotMetadata(90, 5, new Membership(Set.of(1L, 2L), Set.of(4L))), blob));
            }
            Message m = b.build();
            Messages.assertSame(m, roundTrip(m));
            // and the minimal form: every optional field at its default
            Message bare = Message.builder(type, 3, 4, 0).build();
            Messages.assertSame(bare, roundTrip(bare));
        }
    }

    @Test
    void randomizedMessagesRoundTrip() {
        Random rnd = new Random(20261205L);
        MessageType[] types = MessageType.values();
        for (int i = 0; i < 5000; i++) {
            Message m = Messages.random(rnd, types[rnd.nextInt(types.length)], Messages.anyLong(rnd), Messages.anyLong(rnd));
            Messages.assertSame(m, roundTrip(m));
        }
    }

    @Test
    void chunkedSnapshotMessageCarriesMetadataAndLengthOnly() {
        byte[] data = new byte[5000];
        new Random(1).nextBytes(data);
        Message m = Message.builder(MessageType.SNAPSHOT, 1, 2, 3)
                .snapshot(new Snapshot(new SnapshotMetadata(10, 3, Membership.ofVoters(1, 2)), data)).build();
        byte[] wire = PeerFrameCodec.encodeMessage(m, data.length);
        assertTrue(wire.length < 100, "data is not inline");
        PeerFrame.Raft r = (PeerFrame.Raft) PeerFrameCodec.decode(ByteBuffer.wrap(wire, 4, wire.length - 4));
        assertEquals(5000, r.chunkedSnapshotBytes());
        assertEquals(m.snapshot.metadata(), r.message().snapshot.metadata());
        assertEquals(0, r.message().snapshot.data().length);
    }

    @Test
    void otherFramesRoundTrip() {
        Random rnd = new Random(7);
        byte[] nonce = HandshakeAuth.nonce(), proof = new byte[32];
        rnd.nextBytes(proof);
        PeerFrame.Hello h = (PeerFrame.Hello) roundTrip(new PeerFrame.Hello("clüster-1", 3, 1, nonce, proof));
        assertEquals("clüster-1", h.clusterId());
        assertEquals(3, h.from());
        assertEquals(1, h.to());
        assertArrayEquals(nonce, h.nonce());
        assertArrayEquals(proof, h.proof());

        assertArrayEquals(proof, ((PeerFrame.Proof) roundTrip(new PeerFrame.Proof(proof))).mac());
        assertInstanceOf(PeerFrame.Welcome.class, roundTrip(new PeerFrame.Welcome()));
        assertEquals("no", ((PeerFrame.Refused) roundTrip(new PeerFrame.Refused("no"))).reason());

        byte[] chunk = new byte[1000];
        rnd.nextBytes(chunk);
        PeerFrame.SnapshotChunk c = (PeerFrame.SnapshotChunk) roundTrip(new PeerFrame.SnapshotChunk(55, 4, 2000, 3000, chunk, true));
        assertEquals(55, c.index());
        assertEquals(4, c.term());
        assertEquals(2000, c.offset());
        assertEquals(3000, c.total());
        assertTrue(c.last());
        assertArrayEquals(chunk, c.data());

        List<byte[]> argv = List.of("SET".getBytes(), "k".getBytes(), new byte[0], chunk);
        PeerFrame.ForwardRequest fr = (PeerFrame.ForwardRequest) roundTrip(new PeerFrame.ForwardRequest(Long.MAX_VALUE, 77, 15, argv));
        assertEquals(Long.MAX_VALUE, fr.requestId());
        assertEquals(77, fr.sessionId());
        assertEquals(15, fr.db());
        assertEquals(argv.size(), fr.argv().size());
        for (int i = 0; i < argv.size(); i++) assertArrayEquals(argv.get(i), fr.argv().get(i));

        byte[] reply = "+OK\r\n".getBytes();
        PeerFrame.ForwardReply rep = (PeerFrame.ForwardReply) roundTrip(new PeerFrame.ForwardReply(-1, reply));
        assertEquals(-1, rep.requestId());
        assertArrayEquals(reply, rep.reply());
    }

    @Test
    void malformedFramesAreProtocolErrors() {
        byte[] good = PeerFrameCodec.encode(new PeerFrame.Raft(Messages.random(new Random(3), MessageType.APPEND, 1, 2)));
        ByteBuffer body = ByteBuffer.wrap(good, 4, good.length - 4);
        // every strict truncation of a valid frame
        for (int len = 0; len < good.length - 4; len++) {
            ByteBuffer cut = ByteBuffer.wrap(good, 4, len);
            assertThrows(PeerProtocolException.class, () -> PeerFrameCodec.decode(cut));
        }
        // trailing garbage
        byte[] longer = new byte[good.length + 1];
        System.arraycopy(good, 0, longer, 0, good.length);
        assertThrows(PeerProtocolException.class, () -> PeerFrameCodec.decode(ByteBuffer.wrap(longer, 4, longer.length - 4)));
        // wrong version, unknown frame type, unknown message type
        assertThrows(PeerProtocolException.class, () -> PeerFrameCodec.decode(ByteBuffer.wrap(new byte[]{2, 1})));
        assertThrows(PeerProtocolException.class, () -> PeerFrameCodec.decode(ByteBuffer.wrap(new byte[]{1, 99})));
        assertThrows(PeerProtocolException.class, () -> PeerFrameCodec.decode(ByteBuffer.wrap(new byte[]{1, 10, 12})));
        // a huge declared length must not allocate: it is checked against the frame
        byte[] hugeArg = {1, 13, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
        assertThrows(PeerProtocolException.class, () -> PeerFrameCodec.decode(ByteBuffer.wrap(hugeArg)));
        // chunk outside its snapshot
        byte[] badChunk = PeerFrameCodec.encode(new PeerFrame.SnapshotChunk(1, 1, 10, 5, new byte[0], false));
        assertThrows(PeerProtocolException.class, () -> PeerFrameCodec.decode(ByteBuffer.wrap(badChunk, 4, badChunk.length - 4)));
        assertInstanceOf(PeerFrame.Raft.class, PeerFrameCodec.decode(body));
    }

    @Test
    void randomCorruptionNeverEscapesAsAnythingButProtocolError() {
        Random rnd = new Random(99);
        for (int i = 0; i < 5000; i++) {
            byte[] wire = PeerFrameCodec.encode(new PeerFrame.Raft(Messages.random(rnd, MessageType.values()[rnd.nextInt(12)], 1, 2)));
            for (int flips = 1 + rnd.nextInt(4); flips > 0; flips--) {
                int at = 4 + rnd.nextInt(wire.length - 4);
                wire[at] = (byte) rnd.nextInt(256);
            }
            try {
                PeerFrameCodec.decode(ByteBuffer.wrap(wire, 4, wire.length - 4));
            } catch (PeerProtocolException expected) {
                // fine: rejected cleanly
            }
        }
    }
}
