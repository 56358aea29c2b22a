package io.redraft.store;

import io.redraft.server.ConfigParameter;
import io.redraft.server.ServerConfig;

/**
 * The thresholds at which small hashes and lists leave their compact encoding, read from the
 * configuration when it has the parameter and otherwise Redis's defaults.
 *
 * <p>Both collection types ask this one class so the parameter names and defaults live in one
 * place. The parsed values are cached and re-read only when a parameter's value string changes
 * (CONFIG SET stores a new one), so the write path does no parsing per command. Encodings only
 * change OBJECT ENCODING and memory, never a reply, so nodes that disagree on a threshold still
 * return the same data.
 */
public final class EncodingLimits {
    public static final String HASH_MAX_ENTRIES = "hash-max-listpack-entries";
    public static final String HASH_MAX_VALUE = "hash-max-listpack-value";
    public static final String LIST_MAX_SIZE = "list-max-listpack-size";

    public static final EncodingLimits DEFAULTS = new EncodingLimits(null, null, null, null, 512, 64, -2);

    /** The last limits built; immutable, so sharing it between keyspace threads is safe. */
    private static volatile EncodingLimits last = DEFAULTS;

    private final ServerConfig config;
    private final String entriesText;
    private final String valueText;
    private final String listText;
    /** Largest number of field-value pairs a listpack-encoded hash holds. */
    public final int hashMaxEntries;
    /** Longest field or value (bytes) a listpack-encoded hash holds. */
    public final int hashMaxValue;
    /** list-max-listpack-size: positive = entries per node, -1..-5 = 4..64 KiB per node. */
    public final int listMaxSize;

    private EncodingLimits(ServerConfig config, String entriesText, String valueText, String listText,
                           int hashMaxEntries, int hashMaxValue, int listMaxSize) {
        this.config = config;
        this.entriesText = entriesText;
        this.valueText = valueText;
        this.listText = listText;
        this.hashMaxEntries = hashMaxEntries;
        this.hashMaxValue = hashMaxValue;
        this.listMaxSize = listMaxSize;
    }

    /** The limits currently configured in config (null config: Redis's defaults). */
    public static EncodingLimits of(ServerConfig config) {
        if (config == null) {
            return DEFAULTS;
        }
        EncodingLimits l = last;
        String entries = text(config, HASH_MAX_ENTRIES);
        String value = text(config, HASH_MAX_VALUE);
        String list = text(config, LIST_MAX_SIZE);
        // Identity comparison on purpose: a CONFIG SET stores a new string.
        if (l.config == config && l.entriesText == entries && l.valueText == value && l.listText == list) {
            return l;
        }
        l = new EncodingLimits(config, entries, value, list,
                (int) parse(entries, DEFAULTS.hashMaxEntries, 0, Integer.MAX_VALUE),
                (int) parse(value, DEFAULTS.hashMaxValue, 0, Integer.MAX_VALUE),
                (int) parse(list, DEFAULTS.listMaxSize, Integer.MIN_VALUE, Integer.MAX_VALUE));
        last = l;
        return l;
    }

    /** Limits with explicit values, for tests and tools. */
    public static EncodingLimits of(int hashMaxEntries, int hashMaxValue, int listMaxSize) {
        return new EncodingLimits(null, null, null, null, hashMaxEntries, hashMaxValue, listMaxSize);
    }

    private static String text(ServerConfig config, String name) {
        ConfigParameter p = config.parameter(name);
        return p == null ? null : p.value();
    }

    private static long parse(String text, long def, long min, long max) {
        if (text == null) {
            return def;
        }
        try {
            long v = Long.parseLong(text.trim());
            return Math.max(min, Math.min(max, v));
        } catch (NumberFormatException e) {
            return def;
        }
    }

    /** Whether a hash with this many pairs may stay a listpack. */
    public boolean hashFitsEntries(int pairs) {
        return pairs <= hashMaxEntries;
    }

    /** Whether a field or value this long may live in a listpack-encoded hash. */
    public boolean hashFitsValue(int length) {
        return length <= hashMaxValue;
    }

    /** Encoded-size limit of one list node; for count-based fills Redis's 8 KiB safety limit. */
    public long listNodeBytes() {
        if (listMaxSize >= 0) {
            return 8192;
        }
        int level = Math.min(5, -listMaxSize); // Redis clamps to its largest size class
        return 4096L << (level - 1);
    }

    /** Entry-count limit of one list node; unbounded for the size-based (negative) fills. */
    public long listNodeEntries() {
        return listMaxSize > 0 ? listMaxSize : (listMaxSize == 0 ? 1 : Long.MAX_VALUE);
    }
}
