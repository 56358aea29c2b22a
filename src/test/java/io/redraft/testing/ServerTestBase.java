package io.redraft.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.Jedis;

/**
 * For tests that share one in-process server per class and talk to it through Jedis: each test
 * gets a fresh connection on an emptied keyspace.
 */
public abstract class ServerTestBase extends ServerPerClass {
    protected Jedis jedis;

    @BeforeEach
    void connect() {
        jedis = server.jedis();
        jedis.flushAll();
    }

    @AfterEach
    void disconnect() {
        jedis.close();
    }
}
