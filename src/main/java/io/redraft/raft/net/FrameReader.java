package io.redraft.raft.net;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields {@link FrameWriter} wrote. Every read is bounds-checked against the frame so a
 * garbled or hostile frame ends in a {@link PeerProtocolException}, never an allocation bigger than
 * the frame itself or an unchecked runtime exception.
 */
final class FrameReader {
    private final ByteBuffer in;

    FrameReader(ByteBuffer in) {
        this.in = in;
    }

    int remaining() {
        return in.remaining();
    }

    int u8() {
        need(1);
        return in.get() & 0xFF;
    }

    long varLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new PeerProtocolException("varint longer than 10 bytes");
    }

    /** A varint that must be a non-negative int no larger than {@code max}. */
    int count(long max, String what) {
        long v = varLong();
        if (v < 0 || v > max) throw new PeerProtocolException(what + " out of range: " + v);
        return (int) v;
    }

    byte[] raw(int len) {
        need(len);
        byte[] b = new byte[len];
        in.get(b);
        return b;
    }

    byte[] bytes() {
        return raw(count(in.remaining(), "byte string length"));
    }

    String string() {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes())).toString();
        } catch (CharacterCodingException e) {
            throw new PeerProtocolException("invalid UTF-8 string");
        }
    }

    void end() {
        if (in.hasRemaining()) throw new PeerProtocolException(in.remaining() + " trailing bytes in frame");
    }

    private void need(int n) {
        if (in.remaining() < n) throw new PeerProtocolException("truncated frame");
    }
}
