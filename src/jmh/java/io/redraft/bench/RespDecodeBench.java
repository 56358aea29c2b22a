package io.redraft.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.redraft.resp.RespDecoder;
import io.redraft.resp.RespLimits;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;

/**
 * RESP decode of one read holding a pipelined batch of SETs, as redis-benchmark -P N sends them:
 * the cost per read of turning bytes into argument vectors. Score = batches per second.
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RespDecodeBench {
    /** Commands per read (redis-benchmark's -P). */
    @Param({"1", "16"})
    public int pipeline;
    /** Value size in bytes (redis-benchmark's -d; 3 is its default). */
    @Param({"3", "100"})
    public int valueSize;

    private EmbeddedChannel channel;
    private ByteBuf batch;

    @Setup
    public void setUp() {
        channel = new EmbeddedChannel(new RespDecoder(() -> RespLimits.DEFAULTS));
        StringBuilder sb = new StringBuilder();
        String value = "x".repeat(valueSize);
        for (int i = 0; i < pipeline; i++) {
            String key = "key:" + String.format("%012d", i);
            sb.append("*3\r\n$3\r\nSET\r\n$").append(key.length()).append("\r\n").append(key)
                    .append("\r\n$").append(valueSize).append("\r\n").append(value).append("\r\n");
        }
        batch = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(sb.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public void decodeBatch(Blackhole bh) {
        channel.writeInbound(batch.duplicate());
        Object argv;
        while ((argv = channel.readInbound()) != null) {
            bh.consume(argv);
        }
    }
}
