package io.redraft.store.snapshot;

import io.redraft.cluster.CommandInvoker;
import io.redraft.cluster.KeyspaceStateMachine;
import io.redraft.cluster.WriteEntry;
import io.redraft.command.CommandContext;
import io.redraft.command.CommandTable;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.redraft.server.ClientSession;
import io.redraft.server.ServerConfig;
import io.redraft.server.ServerContext;
import io.redraft.store.Keyspace;

import java.nio.charset.StandardCharsets;

/**
 * A state machine without a server: applies write entries as the Raft apply loop would (index
 * after index, each with its own timestamp), on the calling thread, which plays the keyspace thread.
 */
final class StateMachineDriver {
    private final ServerContext server = new ServerContext(new ServerConfig(), CommandTable.standard());
    private final KeyspaceStateMachine machine =
            new KeyspaceStateMachine(server, new CommandContext(server), new CommandInvoker(server.stats()));
    /** The client waiting on this node for reply(): its output lands in an embedded channel. */
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ClientSession session = new ClientSession(1, channel, 0);
    private long index;
    private long time;

    StateMachineDriver(long startTime) {
        this.time = startTime;
    }

    /**
     * A state machine restored from a snapshot file of other: its keyspace is loaded from file and
     * it continues at other's index and time, as a node that installed that snapshot would.
     */
    static StateMachineDriver restoredFrom(java.nio.file.Path file, StateMachineDriver other)
            throws java.io.IOException {
        StateMachineDriver sm = new StateMachineDriver(other.time);
        KeyspaceSnapshotLoader.load(file, sm.keyspace());
        sm.index = other.index;
        return sm;
    }

    Keyspace keyspace() {
        return server.keyspace();
    }

    long index() {
        return index;
    }

    long time() {
        return time;
    }

    /** Applies one client command in db at the next index, one millisecond after the previous one. */
    void command(int db, String... argv) {
        byte[][] args = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            args[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        apply(WriteEntry.command(db, ++time, args));
    }

    void command(String... argv) {
        command(0, argv);
    }

    /** Applies one command in db 0 as command() does and returns its RESP2 reply as text. */
    String reply(String... argv) {
        byte[][] args = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            args[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        machine.apply(++index, WriteEntry.command(0, ++time, args), session);
        session.flush();
        StringBuilder text = new StringBuilder();
        for (ByteBuf b = channel.readOutbound(); b != null; b = channel.readOutbound()) {
            text.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return text.toString();
    }

    /** Applies an active-expiry deletion entry for key in db. */
    void expireEntry(int db, String key) {
        apply(new WriteEntry(WriteEntry.EXPIRE, db, ++time, new byte[][] {key.getBytes(StandardCharsets.UTF_8)}));
    }

    void apply(WriteEntry entry) {
        machine.apply(++index, entry, null);
    }
}
