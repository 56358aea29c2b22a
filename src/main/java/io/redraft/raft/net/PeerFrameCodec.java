package io.redraft.raft.net;

import io.redraft.raft.Entry;
import io.redraft.raft.Membership;
import io.redraft.raft.Message;
import io.redraft.raft.MessageType;
import io.redraft.raft.Snapshot;
import io.redraft.raft.SnapshotMetadata;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Binary encoding of {@link PeerFrame}s; pure (no Netty), so it is unit-tested on byte arrays.
 *
 * <p>Wire layout: {@code [int32 length][u8 version][u8 type][payload]}, the length counting
 * everything after itself. {@link #encode} returns the whole frame; {@link #decode} takes the bytes
 * after the length prefix (the transport's frame decoder strips and bounds it).
 *
 * <p>Enum values travel as explicit wire codes (the tables below), not ordinals, so reordering
 * {@link MessageType} or {@link Entry.Type} cannot silently change the protocol.
 */
public final class PeerFrameCodec {
    public static final int VERSION = 1;

    static final int HELLO = 1, PROOF = 2, WELCOME = 3, REFUSED = 4,
            RAFT = 10, SNAPSHOT_CHUNK = 11, FORWARD_REQUEST = 12, FORWARD_REPLY = 13;

    /** Wire code = index. Append only. */
    private static final MessageType[] MESSAGE_TYPES = {
            MessageType.VOTE, MessageType.VOTE_RESP, MessageType.PRE_VOTE, MessageType.PRE_VOTE_RESP,
            MessageType.APPEND, MessageType.APPEND_RESP, MessageType.HEARTBEAT, MessageType.HEARTBEAT_RESP,
            MessageType.SNAPSHOT, MessageType.TIMEOUT_NOW, MessageType.READ_INDEX, MessageType.READ_INDEX_RESP};
    private static final Entry.Type[] ENTRY_TYPES = {Entry.Type.NORMAL, Entry.Type.NOOP, Entry.Type.MEMBERSHIP};

    private static final int F_REJECT = 1, F_FORCE = 2, F_SNAPSHOT = 4, F_SNAPSHOT_CHUNKED = 8;

    private PeerFrameCodec() { }

    // ---------------------------------------------------------------- encode

    public static byte[] encode(PeerFrame frame) {
        // Java 17: no pattern switch over the sealed interface, hence the instanceof chain.
        if (frame instanceof PeerFrame.Raft r) return encodeMessage(r.message(), r.chunkedSnapshotBytes());
        if (frame instanceof PeerFrame.SnapshotChunk c) {
            return new FrameWriter(VERSION, SNAPSHOT_CHUNK, c.data().length + 40)
                    .varLong(c.index()).varLong(c.term()).varLong(c.offset()).varLong(c.total())
                    .u8(c.last() ? 1 : 0).bytes(c.data()).finish();
        }
        if (frame instanceof PeerFrame.ForwardRequest f) {
            int size = 32;
            for (byte[] a : f.argv()) size += a.length + 5;
            FrameWriter w = new FrameWriter(VERSION, FORWARD_REQUEST, size)
                    .varLong(f.requestId()).varLong(f.sessionId()).varLong(f.db()).varLong(f.argv().size());
            for (byte[] a : f.argv()) w.bytes(a);
            return w.finish();
        }
        if (frame instanceof PeerFrame.ForwardReply f) {
            return new FrameWriter(VERSION, FORWARD_REPLY, f.reply().length + 16).varLong(f.requestId()).bytes(f.reply()).finish();
        }
        if (frame instanceof PeerFrame.Hello h) {
            return new FrameWriter(VERSION, HELLO, 64).string(h.clusterId()).varLong(h.from())
                    .varLong(h.to()).bytes(h.nonce()).bytes(h.proof()).finish();
        }
        if (frame instanceof PeerFrame.Proof p) return new FrameWriter(VERSION, PROOF, 40).bytes(p.mac()).finish();
        if (frame instanceof PeerFrame.Welcome) return new FrameWriter(VERSION, WELCOME, 0).finish();
        if (frame instanceof PeerFrame.Refused r) return new FrameWriter(VERSION, REFUSED, 64).string(r.reason()).finish();
        throw new IllegalArgumentException("unknown frame " + frame);
    }

    /**
     * A Raft message frame. With {@code chunkedSnapshotBytes >= 0} a SNAPSHOT message carries only its
     * metadata and that data length (its own data is ignored): the data went ahead in
     * {@link PeerFrame.SnapshotChunk}s. With -1 the snapshot data is inline.
     */
    public static byte[] encodeMessage(Message m, long chunkedSnapshotBytes) {
        boolean snapshotChunked = chunkedSnapshotBytes >= 0;
        int size = 96;
        for (Entry e : m.entries) size += e.data().length + 24;
        boolean inline = m.snapshot != null && !snapshotChunked;
        if (inline) size += m.snapshot.data().length;
        FrameWriter w = new FrameWriter(VERSION, RAFT, size);
        w.u8(wireCode(m.type)).varLong(m.from).varLong(m.to).varLong(m.term).varLong(m.logTerm).varLong(m.index)
                .varLong(m.commit).varLong(m.rejectHint).varLong(m.context);
        int flags = (m.reject ? F_REJECT : 0) | (m.force ? F_FORCE : 0)
                | (m.snapshot != null ? F_SNAPSHOT : 0) | (m.snapshot != null && snapshotChunked ? F_SNAPSHOT_CHUNKED : 0);
        w.u8(flags).varLong(m.entries.size());
        for (Entry e : m.entries) {
            w.varLong(e.index()).varLong(e.term()).u8(entryCode(e.type())).bytes(e.data());
        }
        if (m.snapshot != null) {
            SnapshotMetadata md = m.snapshot.metadata();
            w.varLong(md.index()).varLong(md.term());
            Membership ms = md.membership();
            w.varLong(ms.voters().size());
            for (long id : ms.voters()) w.varLong(id);
            w.varLong(ms.learners().size());
            for (long id : ms.learners()) w.varLong(id);
            byte[] data = m.snapshot.data();
            w.varLong(inline ? data.length : chunkedSnapshotBytes);
            if (inline) w.raw(data, 0, data.length);
        }
        return w.finish();
    }

    private static int wireCode(MessageType t) {
        for (int i = 0; i < MESSAGE_TYPES.length; i++) if (MESSAGE_TYPES[i] == t) return i;
        throw new IllegalArgumentException("no wire code for " + t);
    }

    private static int entryCode(Entry.Type t) {
        for (int i = 0; i < ENTRY_TYPES.length; i++) if (ENTRY_TYPES[i] == t) return i;
        throw new IllegalArgumentException("no wire code for " + t);
    }

    // ---------------------------------------------------------------- decode

    /** Decodes the bytes after the length prefix; throws {@link PeerProtocolException} on anything malformed. */
    public static PeerFrame decode(ByteBuffer body) {
        FrameReader r = new FrameReader(body);
        int version = r.u8();
        if (version != VERSION) throw new PeerProtocolException("unsupported protocol version " + version);
        int type = r.u8();
        PeerFrame f = switch (type) {
            case HELLO -> new PeerFrame.Hello(r.string(), r.varLong(), r.varLong(), r.bytes(), r.bytes());
            case PROOF -> new PeerFrame.Proof(r.bytes());
            case WELCOME -> new PeerFrame.Welcome();
            case REFUSED -> new PeerFrame.Refused(r.string());
            case RAFT -> decodeMessage(r);
            case SNAPSHOT_CHUNK -> decodeChunk(r);
            case FORWARD_REQUEST -> {
                long requestId = r.varLong(), sessionId = r.varLong();
                int db = r.count(Integer.MAX_VALUE, "db");
                int argc = r.count(r.remaining(), "argc"); // each argument takes at least one byte
                List<byte[]> argv = new ArrayList<>(argc);
                for (int i = 0; i < argc; i++) argv.add(r.bytes());
                yield new PeerFrame.ForwardRequest(requestId, sessionId, db, argv);
            }
            case FORWARD_REPLY -> new PeerFrame.ForwardReply(r.varLong(), r.bytes());
            default -> throw new PeerProtocolException("unknown frame type " + type);
        };
        r.end();
        return f;
    }

    private static PeerFrame.SnapshotChunk decodeChunk(FrameReader r) {
        long index = r.varLong(), term = r.varLong(), offset = r.varLong(), total = r.varLong();
        int last = r.u8();
        if (last > 1) throw new PeerProtocolException("bad chunk flag " + last);
        byte[] data = r.bytes();
        if (offset < 0 || total < 0 || offset > total || data.length > total - offset)
            throw new PeerProtocolException("chunk [" + offset + "+" + data.length + ") outside snapshot of " + total + " bytes");
        return new PeerFrame.SnapshotChunk(index, term, offset, total, data, last == 1);
    }

    private static PeerFrame.Raft decodeMessage(FrameReader r) {
        int code = r.u8();
        if (code >= MESSAGE_TYPES.length) throw new PeerProtocolException("unknown message type " + code);
        Message.Builder b = Message.builder(MESSAGE_TYPES[code], r.varLong(), r.varLong(), r.varLong())
                .logTerm(r.varLong()).index(r.varLong()).commit(r.varLong()).rejectHint(r.varLong()).context(r.varLong());
        int flags = r.u8();
        if ((flags & ~(F_REJECT | F_FORCE | F_SNAPSHOT | F_SNAPSHOT_CHUNKED)) != 0)
            throw new PeerProtocolException("unknown message flags " + flags);
        b.reject((flags & F_REJECT) != 0).force((flags & F_FORCE) != 0);
        int n = r.count(r.remaining() / 4, "entry count"); // an entry takes at least four bytes
        if (n > 0) {
            List<Entry> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long index = r.varLong(), term = r.varLong();
                int type = r.u8();
                if (type >= ENTRY_TYPES.length) throw new PeerProtocolException("unknown entry type " + type);
                entries.add(new Entry(index, term, ENTRY_TYPES[type], r.bytes()));
            }
            b.entries(entries);
        }
        long chunked = -1;
        if ((flags & F_SNAPSHOT) != 0) {
            long index = r.varLong(), term = r.varLong();
            Membership ms = new Membership(ids(r), ids(r));
            long len = r.varLong();
            byte[] data;
            if ((flags & F_SNAPSHOT_CHUNKED) != 0) {
                if (len < 0) throw new PeerProtocolException("negative snapshot length");
                chunked = len;
                data = new byte[0];
            } else {
                if (len < 0 || len > r.remaining()) throw new PeerProtocolException("inline snapshot longer than frame");
                data = r.raw((int) len);
            }
            b.snapshot(new Snapshot(new SnapshotMetadata(index, term, ms), data));
        } else if ((flags & F_SNAPSHOT_CHUNKED) != 0) {
            throw new PeerProtocolException("chunked flag without snapshot");
        }
        return new PeerFrame.Raft(b.build(), chunked);
    }

    private static TreeSet<Long> ids(FrameReader r) {
        int n = r.count(r.remaining(), "member count");
        TreeSet<Long> s = new TreeSet<>();
        for (int i = 0; i < n; i++) s.add(r.varLong());
        return s;
    }

    /** {@code m} with its snapshot's data replaced (Message has no copy builder). */
    static Message withSnapshotData(Message m, byte[] data) {
        return Message.builder(m.type, m.from, m.to, m.term).logTerm(m.logTerm).index(m.index).entries(m.entries)
                .commit(m.commit).reject(m.reject).rejectHint(m.rejectHint).context(m.context).force(m.force)
                .snapshot(new Snapshot(m.snapshot.metadata(), data)).build();
    }
}
