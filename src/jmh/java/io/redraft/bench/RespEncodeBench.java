package io.redraft.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.redraft.resp.RespWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * RESP encode of the replies the redis-benchmark tests receive: +OK (SET), a bulk (GET), an
 * integer (INCR, LPUSH), and a 100-element array of bulks (LRANGE_100), in RESP2 and RESP3.
 * Score = replies per second (the buffer is cleared after each, as after a flush).
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RespEncodeBench {
    @Param({"2", "3"})
    public int protocol;

    private ByteBuf buf;
    private RespWriter out;
    private final byte[] value = "x".repeat(100).getBytes();
    private final byte[][] list = new byte[100][];
    private long counter = 100_000;

    @Setup
    public void setUp() {
        buf = PooledByteBufAllocator.DEFAULT.directBuffer(16 * 1024);
        out = new RespWriter(buf);
        out.protocol(protocol);
        for (int i = 0; i < list.length; i++) {
            list[i] = ("element-" + i).getBytes();
        }
    }

    @TearDown
    public void tearDown() {
        buf.release();
    }

    @Benchmark
    public int ok() {
        buf.clear();
        out.ok();
        return buf.writerIndex();
    }

    @Benchmark
    public int bulk100() {
        buf.clear();
        out.bulk(value);
        return buf.writerIndex();
    }

    /** An integer above the cached small ones, as INCR returns after a while. */
    @Benchmark
    public int integer() {
        buf.clear();
        out.integer(counter++);
        return buf.writerIndex();
    }

    @Benchmark
    public int array100() {
        buf.clear();
        out.arrayHeader(list.length);
        for (byte[] e : list) {
            out.bulk(e);
        }
        return buf.writerIndex();
    }
}
