package io.redraft.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.Jedis;

/**
 * For tests that share one in-process server per class: each test gets a fresh Jedis
 * connection on an emptied keyspace, and the server is stopped after the class.
 */
public abstract class ServerTestBase {
    protected static TestServer server;
    protected Jedis jedis;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

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
