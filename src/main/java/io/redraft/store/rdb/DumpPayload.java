package io.redraft.store.rdb;

import io.redraft.store.EncodingLimits;
import io.redraft.store.SetEncodingLimits;

/**
 * The DUMP/RESTORE serialization, identical to Redis's so payloads move between Redis and
 * Redraft: {@code [type byte][value in RDB encoding][RDB version, 2 bytes LE][CRC-64, 8 bytes LE]},
 * the CRC covering everything before it.
 */
public final class DumpPayload {
    private static final int FOOTER = 10;

    private DumpPayload() {
    }

    /** The payload DUMP returns for value. */
    public static byte[] dump(Object value) throws UnsupportedTypeException {
        RdbEncoder out = new RdbEncoder(value instanceof byte[] s ? s.length + 16 : 64);
        RdbValues.write(out, value);
        out.writeShortLE(RdbType.RDB_VERSION);
        out.writeLongLE(out.crc64());
        return out.toByteArray();
    }

    /**
     * Whether the footer is sound: an RDB version this server can read (Redis accepts any
     * version up to its own) and a matching checksum.
     */
    public static boolean verify(byte[] payload) {
        int len = payload.length;
        if (len < FOOTER) {
            return false;
        }
        int version = (payload[len - 10] & 0xff) | (payload[len - 9] & 0xff) << 8;
        if (version > RdbType.RDB_VERSION) {
            return false;
        }
        long stored = 0;
        for (int i = 0; i < 8; i++) {
            stored |= (payload[len - 8 + i] & 0xffL) << (8 * i);
        }
        return Crc64.update(0, payload, 0, len - 8) == stored;
    }

    /** The value in a payload that passed {@link #verify}, built under the default limits. */
    public static Object restore(byte[] payload) throws RdbFormatException {
        return restore(payload, EncodingLimits.DEFAULTS, SetEncodingLimits.DEFAULTS);
    }

    /**
     * The value in a payload that passed {@link #verify}, collections built under the given
     * limits. Like Redis, bytes left between the value and the footer are ignored.
     */
    public static Object restore(byte[] payload, EncodingLimits limits, SetEncodingLimits setLimits)
            throws RdbFormatException {
        RdbDecoder in = new RdbDecoder(payload, 0, payload.length - FOOTER);
        return RdbValues.read(in, in.readType(), limits, setLimits);
    }
}
