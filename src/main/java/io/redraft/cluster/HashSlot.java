package io.redraft.cluster;

import io.redraft.command.CommandSpec;

/**
 * Redis Cluster's key hash slot: CRC16 (XMODEM: polynomial 0x1021, initial value 0) of the key,
 * or of its hash tag (the bytes between the first '{' and the first '}' after it, when not
 * empty), modulo 16384. Redraft has no slots of its own; it names them in -MOVED redirections
 * so that cluster-aware clients can follow them.
 */
public final class HashSlot {
    public static final int SLOTS = 16384;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xffff;
        }
    }

    private HashSlot() {
    }

    static int crc16(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ b[i]) & 0xff]) & 0xffff;
        }
        return crc;
    }

    /** The slot of key, honouring a non-empty hash tag. */
    public static int of(byte[] key) {
        int open = -1;
        for (int i = 0; i < key.length; i++) {
            if (key[i] == '{') {
                open = i;
                break;
            }
        }
        if (open >= 0) {
            for (int close = open + 1; close < key.length; close++) {
                if (key[close] == '}') {
                    if (close > open + 1) {
                        return crc16(key, open + 1, close) & (SLOTS - 1);
                    }
                    break; // "{}": the whole key is hashed
                }
            }
        }
        return crc16(key, 0, key.length) & (SLOTS - 1);
    }

    /** The slot of a command's first key, 0 for a command without keys (as Redis Cluster routes them). */
    public static int of(CommandSpec spec, byte[][] argv) {
        int[] keys = spec.keyPositions(argv);
        return keys.length == 0 || keys[0] >= argv.length ? 0 : of(argv[keys[0]]);
    }
}
