package io.redraft.resp;

import io.redraft.testing.TestServer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The client port with connections on the keyspace thread's own loop (io-threads 1, the default)
 * and on separate I/O loops (io-threads 2): pipelines, blocking commands woken by another
 * connection, and connections closed with the server.
 */
@Timeout(60)
class ClientPortThreadsTest {
    @ParameterizedTest
    @ValueSource(strings = {"1", "2"})
    void pipelinesAndBlockingCommandsWorkOnEitherLoop(String ioThreads) throws Exception {
        try (TestServer server = TestServer.start("io-threads", ioThreads);
             Jedis a = server.jedis(); Jedis b = server.jedis()) {
            Pipeline p = a.pipelined();
            List<Response<Long>> counts = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                counts.add(p.incr("counter"));
            }
            p.sync();
            for (int i = 0; i < 1000; i++) {
                assertEquals(i + 1, counts.get(i).get());
            }
            CompletableFuture<List<String>> popped = CompletableFuture.supplyAsync(() -> b.blpop(10, "queue"));
            while (!a.clientList().contains("cmd=blpop")) {
                Thread.sleep(10);
            }
            a.rpush("queue", "job");
            assertEquals(List.of("queue", "job"), popped.get(10, TimeUnit.SECONDS));
            assertEquals("1000", a.get("counter"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2"})
    void closingTheServerClosesItsConnections(String ioThreads) throws Exception {
        TestServer server = TestServer.start("io-threads", ioThreads);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("PING\r\n".getBytes());
            InputStream in = s.getInputStream();
            assertEquals("+PONG\r\n", new String(in.readNBytes(7)));
            server.close();
            assertEquals(-1, in.read()); // the connection ends, rather than hanging on a stopped loop
        } finally {
            server.close();
        }
    }
}
