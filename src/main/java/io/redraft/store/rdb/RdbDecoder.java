package io.redraft.store.rdb;

import java.nio.charset.StandardCharsets;

/**
 * Reads RDB-encoded values from a byte array, the inverse of {@link RdbEncoder}: every
 * encoding Redis writes for lengths and strings (integers, LZF). Bounds are checked everywhere,
 * so a corrupt payload gives an {@link RdbFormatException}, never a wrong value or an
 * out-of-bounds error.
 */
public final class RdbDecoder {
    private final byte[] data;
    private int pos;
    private final int end;

    public RdbDecoder(byte[] data, int offset, int end) {
        this.data = data;
        this.pos = offset;
        this.end = end;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    private void need(long n) throws RdbFormatException {
        if (n < 0 || n > end - pos) {
            throw new RdbFormatException("Unexpected end of RDB data");
        }
    }

    public int readByte() throws RdbFormatException {
        need(1);
        return data[pos++] & 0xff;
    }

    /** An object type byte ({@link RdbType}). */
    public int readType() throws RdbFormatException {
        return readByte();
    }

    public byte[] readRaw(int n) throws RdbFormatException {
        need(n);
        byte[] b = java.util.Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return b;
    }

    /** A plain length (an encoded-string marker here is a format error). */
    public long readLength() throws RdbFormatException {
        long len = readLengthOrEncoding();
        if (len < 0) {
            throw new RdbFormatException("Unexpected encoded length");
        }
        return len;
    }

    /** A length >= 0, or -1 - encoding for an encoded string marker (11xxxxxx). */
    private long readLengthOrEncoding() throws RdbFormatException {
        int b = readByte();
        switch (b >>> 6) {
            case 0:
                return b & 0x3f;
            case 1:
                return ((long) (b & 0x3f) << 8) | readByte();
            case 2:
                if (b == 0x80) {
                    return readIntBE() & 0xffffffffL;
                }
                if (b == 0x81) {
                    long v = readLongBE();
                    if (v < 0) {
                        throw new RdbFormatException("Length out of range");
                    }
                    return v;
                }
                throw new RdbFormatException("Unknown length encoding " + b);
            default:
                return -1 - (b & 0x3f);
        }
    }

    /** A string in any of Redis's string encodings. */
    public byte[] readString() throws RdbFormatException {
        long len = readLengthOrEncoding();
        if (len >= 0) {
            return readRaw(checkedLength(len));
        }
        int enc = (int) (-1 - len);
        switch (enc) {
            case RdbEncoder.ENC_INT8:
                return digits((byte) readByte());
            case RdbEncoder.ENC_INT16:
                return digits((short) readShortLE());
            case RdbEncoder.ENC_INT32:
                return digits(readIntLE());
            case RdbEncoder.ENC_LZF: {
                int clen = checkedLength(readLength());
                int ulen = checkedLength(readLength());
                need(clen);
                byte[] s = Lzf.decompress(data, pos, clen, ulen);
                pos += clen;
                return s;
            }
            default:
                throw new RdbFormatException("Unknown RDB string encoding type " + enc);
        }
    }

    private static int checkedLength(long len) throws RdbFormatException {
        if (len > Integer.MAX_VALUE - 16) {
            throw new RdbFormatException("String too long");
        }
        return (int) len;
    }

    private static byte[] digits(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    public int readShortLE() throws RdbFormatException {
        return readByte() | (readByte() << 8);
    }

    public int readIntLE() throws RdbFormatException {
        return readByte() | (readByte() << 8) | (readByte() << 16) | (readByte() << 24);
    }

    public long readLongLE() throws RdbFormatException {
        return (readIntLE() & 0xffffffffL) | ((long) readIntLE() << 32);
    }

    public int readIntBE() throws RdbFormatException {
        return (readByte() << 24) | (readByte() << 16) | (readByte() << 8) | readByte();
    }

    public long readLongBE() throws RdbFormatException {
        return ((long) readIntBE() << 32) | (readIntBE() & 0xffffffffL);
    }

    /** A double as 8 bytes little-endian IEEE 754 (RDB_TYPE_ZSET_2 scores). */
    public double readBinaryDouble() throws RdbFormatException {
        return Double.longBitsToDouble(readLongLE());
    }
}
