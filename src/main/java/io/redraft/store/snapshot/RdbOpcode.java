package io.redraft.store.snapshot;

/** Opcodes of an RDB file between the header and the trailer (Redis 7.0's rdb.h values). */
final class RdbOpcode {
    static final int FUNCTION2 = 245;
    static final int FUNCTION = 246;
    static final int MODULE_AUX = 247;
    static final int IDLE = 248;
    static final int FREQ = 249;
    static final int AUX = 250;
    static final int RESIZEDB = 251;
    static final int EXPIRETIME_MS = 252;
    static final int EXPIRETIME = 253;
    static final int SELECTDB = 254;
    static final int EOF = 255;

    /** "REDIS" and the version as four ASCII digits. */
    static final int HEADER_LENGTH = 9;
    /** The CRC-64 after the EOF opcode, little-endian. */
    static final int TRAILER_LENGTH = 8;
    /** The first RDB version with a checksum trailer. */
    static final int FIRST_CHECKSUMMED_VERSION = 5;

    static final String AUX_RAFT_INDEX = "raft-index";
    static final String AUX_RAFT_TERM = "raft-term";
    static final String AUX_RAFT_MEMBERSHIP = "raft-membership";
    /** The keyspace's WATCH ledger (deleted keys' versions), which WATCH decisions depend on. */
    static final String AUX_RAFT_WATCH_LEDGER = "raft-watch-ledger";

    private RdbOpcode() {
    }
}
