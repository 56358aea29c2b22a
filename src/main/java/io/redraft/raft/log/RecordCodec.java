package io.redraft.raft.log;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The byte layout of one record inside a Chronicle document:
 * {@code index:8 term:8 type:1 length:4 payload:length crc32c:4}, little-endian, where the CRC
 * covers everything before it. Chronicle's own document header only frames the bytes; the CRC is
 * what tells a whole record from a torn or rotten one after a crash.
 *
 * <p>Not thread-safe: one codec per journal, used under the journal's lock (it reuses a buffer).
 */
final class RecordCodec {
    private final CRC32C crc = new CRC32C();
    private byte[] buf = new byte[256];

    /** Encodes into the internal buffer and returns the number of bytes; see {@link #buffer()}. */
    int encode(LogRecord r) {
        int len = r.encodedSize();
        if (buf.length < len) buf = new byte[Math.max(len, buf.length * 2)];
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(r.index()).putLong(r.term()).put(r.type()).putInt(r.payload().length).put(r.payload());
        crc.reset();
        crc.update(buf, 0, len - 4);
        bb.putInt((int) crc.getValue());
        return len;
    }

    byte[] buffer() {
        return buf;
    }

    /** Makes the internal buffer at least {@code len} bytes, for reading a record into it. */
    byte[] bufferFor(int len) {
        if (buf.length < len) buf = new byte[Math.max(len, buf.length * 2)];
        return buf;
    }

    /**
     * Decodes {@code len} bytes from the internal buffer, or returns null when the bytes are not a
     * whole, intact record (wrong length, bad CRC).
     */
    LogRecord decode(int len) {
        if (len < LogRecord.OVERHEAD) return null;
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len).order(ByteOrder.LITTLE_ENDIAN);
        long index = bb.getLong();
        long term = bb.getLong();
        byte type = bb.get();
        int payloadLen = bb.getInt();
        if (payloadLen < 0 || payloadLen != len - LogRecord.OVERHEAD) return null;
        crc.reset();
        crc.update(buf, 0, len - 4);
        int stored = ByteBuffer.wrap(buf, len - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != (int) crc.getValue() || index < 1 || term < 0) return null;
        byte[] payload = new byte[payloadLen];
        bb.get(payload);
        return new LogRecord(index, term, type, payload);
    }
}
