package io.redraft.bench;

import io.redraft.cluster.CommandInvoker;
import io.redraft.cluster.KeyspaceStateMachine;
import io.redraft.cluster.WriteEntry;
import io.redraft.command.CommandContext;
import io.redraft.command.CommandTable;
import io.redraft.server.ServerConfig;
import io.redraft.server.ServerContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;

/**
 * Applying a committed SET through {@link KeyspaceStateMachine#apply}: command lookup, handler,
 * keyspace update, reply to the discard writer (no client waits on this node), over a keyspace
 * of {@code keys} keys (redis-benchmark -r). {@code decodeAndApply} adds decoding the entry from
 * its log bytes, as a follower or a restart replays it. Score = entries applied per second.
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ApplySetBench {
    @Param({"1000", "1000000"})
    public int keys;

    private KeyspaceStateMachine machine;
    private byte[][] keyNames;
    private byte[][] encoded;
    private final byte[] value = "xxx".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private long index;
    private int next;

    @Setup
    public void setUp() {
        ServerContext server = new ServerContext(new ServerConfig(), CommandTable.standard());
        machine = new KeyspaceStateMachine(server, new CommandContext(server), new CommandInvoker(server.stats()));
        keyNames = new byte[keys][];
        encoded = new byte[Math.min(keys, 65536)][];
        for (int i = 0; i < keys; i++) {
            keyNames[i] = String.format("key:%012d", i).getBytes(StandardCharsets.US_ASCII);
            // Fill the keyspace first, so the measured SETs overwrite as in a steady state.
            machine.apply(++index, WriteEntry.command(0, 0, new byte[][] {SET, keyNames[i], value}), null);
        }
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = WriteEntry.command(0, 0, new byte[][] {SET, keyNames[i * (keys / encoded.length)], value}).encode();
        }
    }

    @Benchmark
    public long apply() {
        int k = next++;
        if (next == keys) {
            next = 0;
        }
        machine.apply(++index, WriteEntry.command(0, index, new byte[][] {SET, keyNames[k], value}), null);
        return machine.appliedIndex();
    }

    @Benchmark
    public long decodeAndApply() {
        int k = next++;
        if (next == encoded.length) {
            next = 0;
        }
        machine.apply(++index, WriteEntry.decode(encoded[k]), null);
        return machine.appliedIndex();
    }
}
