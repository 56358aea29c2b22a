package io.redraft.store;

import io.redraft.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(10)
class SetEncodingLimitsTest {
    @Test
    void redisDefaultsWhenTheConfigurationDoesNotDeclareThem() {
        ServerConfig config = new ServerConfig();
        SetEncodingLimits limits = SetEncodingLimits.read(config);
        if (config.parameter("set-max-intset-entries") == null) {
            assertEquals(512, limits.intsetEntries());
        } else {
            assertEquals(config.getLong("set-max-intset-entries"), limits.intsetEntries());
        }
        if (config.parameter("zset-max-listpack-entries") == null) {
            assertEquals(SetEncodingLimits.DEFAULTS, limits);
        }
        assertEquals(new SetEncodingLimits(512, 128, 64, 128, 64), SetEncodingLimits.DEFAULTS);
    }
}
