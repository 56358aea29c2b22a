package io.redraft.store;

import io.redraft.server.ConfigParameter;
import io.redraft.server.ServerConfig;

/**
 * The thresholds at which small sets and sorted sets leave their compact encodings (Redis's
 * set-max-intset-entries, set-max-listpack-*, zset-max-listpack-*). Read from the
 * configuration when it declares them, Redis's defaults otherwise.
 */
public record SetEncodingLimits(int intsetEntries, int setListpackEntries, int setListpackValue,
                                int zsetListpackEntries, int zsetListpackValue) {
    public static final SetEncodingLimits DEFAULTS = new SetEncodingLimits(512, 128, 64, 128, 64);

    public static SetEncodingLimits read(ServerConfig config) {
        return new SetEncodingLimits(
                param(config, "set-max-intset-entries", DEFAULTS.intsetEntries),
                param(config, "set-max-listpack-entries", DEFAULTS.setListpackEntries),
                param(config, "set-max-listpack-value", DEFAULTS.setListpackValue),
                param(config, "zset-max-listpack-entries", DEFAULTS.zsetListpackEntries),
                param(config, "zset-max-listpack-value", DEFAULTS.zsetListpackValue));
    }

    private static int param(ServerConfig config, String name, int def) {
        ConfigParameter p = config.parameter(name);
        if (p == null) {
            return def;
        }
        try {
            long v = Long.parseLong(p.value().trim());
            return (int) Math.max(0, Math.min(Integer.MAX_VALUE, v));
        } catch (NumberFormatException e) {
            return def;
        }
    }
}
