package io.redraft.store.rdb;

/**
 * Object type bytes of the RDB format (Redis 7.0, RDB version 10), the first byte of a DUMP
 * payload. A decoder must accept every encoding Redis may write for a type; an encoder may
 * choose any of them (Redis itself writes the compact ones: listpacks, intsets, quicklist 2).
 */
public final class RdbType {
    /** The RDB version Redis 7.0 writes and the highest it (and Redraft) accepts. */
    public static final int RDB_VERSION = 10;

    public static final int STRING = 0;
    public static final int LIST = 1;
    public static final int SET = 2;
    public static final int ZSET = 3;
    public static final int HASH = 4;
    public static final int ZSET_2 = 5;
    public static final int MODULE_2 = 7;
    public static final int HASH_ZIPMAP = 9;
    public static final int LIST_ZIPLIST = 10;
    public static final int SET_INTSET = 11;
    public static final int ZSET_ZIPLIST = 12;
    public static final int HASH_ZIPLIST = 13;
    public static final int LIST_QUICKLIST = 14;
    public static final int STREAM_LISTPACKS = 15;
    public static final int HASH_LISTPACK = 16;
    public static final int ZSET_LISTPACK = 17;
    public static final int LIST_QUICKLIST_2 = 18;
    public static final int STREAM_LISTPACKS_2 = 19;

    private RdbType() {
    }
}
