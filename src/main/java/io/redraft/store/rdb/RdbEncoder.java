package io.redraft.store.rdb;

import io.redraft.resp.RedisNumbers;

import java.util.Arrays;

/**
 * Writes values in RDB encoding into a growable buffer: lengths, strings (as Redis saves them:
 * small integers in 1-4 bytes, long compressible strings LZF-compressed), raw bytes and the
 * little-endian numbers other types' encodings need. Codecs of the value types build on this.
 */
public final class RdbEncoder {
    /** Redis tries LZF only above this length ("it's unable to compress even aaaa...a" below). */
    private static final int MIN_COMPRESS_LENGTH = 21;
    /** Redis keeps a compressed string only if it saves more than this many bytes. */
    private static final int MIN_COMPRESS_SAVING = 4;

    static final int ENC_INT8 = 0;
    static final int ENC_INT16 = 1;
    static final int ENC_INT32 = 2;
    static final int ENC_LZF = 3;

    private byte[] buf;
    private int size;

    public RdbEncoder() {
        this(64);
    }

    public RdbEncoder(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    public int size() {
        return size;
    }

    /** The bytes written so far (a copy). */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /**
     * The bytes written so far, without copying: a buffer over this encoder's array, valid until
     * the next write or {@link #reset} (snapshot files stream through one reused encoder).
     */
    public java.nio.ByteBuffer contents() {
        return java.nio.ByteBuffer.wrap(buf, 0, size);
    }

    /** Forgets what was written, keeping the buffer for reuse. */
    public void reset() {
        size = 0;
    }

    /** The CRC-64 of everything written so far. */
    public long crc64() {
        return Crc64.update(0, buf, 0, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    public void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    /** An object type byte ({@link RdbType}). */
    public void writeType(int type) {
        writeByte(type);
    }

    public void writeRaw(byte[] b, int offset, int length) {
        ensure(length);
        System.arraycopy(b, offset, buf, size, length);
        size += length;
    }

    public void writeRaw(byte[] b) {
        writeRaw(b, 0, b.length);
    }

    /** A length: 6 bits, 14 bits, or a marker byte and 32 or 64 bits big-endian. */
    public void writeLength(long len) {
        if (len < (1 << 6)) {
            writeByte((int) len);
        } else if (len < (1 << 14)) {
            writeByte((int) (len >>> 8) | 0x40);
            writeByte((int) len);
        } else if (len <= 0xffffffffL) {
            writeByte(0x80);
            writeIntBE((int) len);
        } else {
            writeByte(0x81);
            writeLongBE(len);
        }
    }

    /**
     * A string as Redis saves it: the canonical decimal form of a 32-bit integer as that
     * integer, a long string as LZF when that saves enough, anything else as length + bytes.
     */
    public void writeString(byte[] s) {
        if (s.length <= 11 && writeIfInteger(s)) {
            return;
        }
        if (s.length >= MIN_COMPRESS_LENGTH && writeCompressed(s)) {
            return;
        }
        writeLength(s.length);
        writeRaw(s);
    }

    /** A string holding an integer, as Redis saves one (integer encoding when it fits 32 bits). */
    public void writeString(long value) {
        if (!writeInteger(value)) {
            byte[] digits = Long.toString(value).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            writeLength(digits.length);
            writeRaw(digits);
        }
    }

    private boolean writeIfInteger(byte[] s) {
        // Strict parsing accepts exactly the canonical decimal form, as Redis's round-trip check does.
        Long v = RedisNumbers.parseLong(s);
        return v != null && writeInteger(v);
    }

    private boolean writeInteger(long v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            writeByte(0xC0 | ENC_INT8);
            writeByte((int) v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            writeByte(0xC0 | ENC_INT16);
            writeByte((int) v);
            writeByte((int) (v >> 8));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            writeByte(0xC0 | ENC_INT32);
            writeByte((int) v);
            writeByte((int) (v >> 8));
            writeByte((int) (v >> 16));
            writeByte((int) (v >> 24));
        } else {
            return false;
        }
        return true;
    }

    private boolean writeCompressed(byte[] s) {
        int maxOut = s.length - MIN_COMPRESS_SAVING;
        byte[] out = new byte[maxOut + 1];
        int clen = Lzf.compress(s, s.length, out, maxOut);
        if (clen == 0) {
            return false;
        }
        writeByte(0xC0 | ENC_LZF);
        writeLength(clen);
        writeLength(s.length);
        writeRaw(out, 0, clen);
        return true;
    }

    public void writeShortLE(int v) {
        writeByte(v);
        writeByte(v >>> 8);
    }

    public void writeIntBE(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    public void writeLongBE(long v) {
        writeIntBE((int) (v >>> 32));
        writeIntBE((int) v);
    }

    public void writeLongLE(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
    }

    /** A double as 8 bytes little-endian IEEE 754 (RDB_TYPE_ZSET_2 scores). */
    public void writeBinaryDouble(double d) {
        writeLongLE(Double.doubleToRawLongBits(d));
    }
}
