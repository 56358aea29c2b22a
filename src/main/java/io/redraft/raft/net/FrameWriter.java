package io.redraft.raft.net;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one length-prefixed frame in a growable array. Integers are unsigned LEB128 varints
 * (small ids, terms and indexes take one or two bytes; a negative long takes ten and still round-trips).
 */
final class FrameWriter {
    private byte[] buf;
    private int pos;

    FrameWriter(int version, int type, int sizeHint) {
        buf = new byte[Math.max(16, sizeHint + 6)];
        pos = 4; // length prefix, filled in by finish()
        u8(version);
        u8(type);
    }

    private void ensure(int n) {
        if (pos + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }

    FrameWriter u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    FrameWriter varLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        return this;
    }

    FrameWriter raw(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        return this;
    }

    /** Length-prefixed byte string. */
    FrameWriter bytes(byte[] b) {
        varLong(b.length);
        return raw(b, 0, b.length);
    }

    FrameWriter string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The complete frame; its first four bytes are the big-endian length of the rest. */
    byte[] finish() {
        int len = pos - 4;
        buf[0] = (byte) (len >>> 24);
        buf[1] = (byte) (len >>> 16);
        buf[2] = (byte) (len >>> 8);
        buf[3] = (byte) len;
        return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
    }
}
