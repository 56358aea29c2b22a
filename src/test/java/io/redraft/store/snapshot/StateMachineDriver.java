package io.redraft.store.snapshot;

import io.redraft.cluster.CommandInvoker;
import io.redraft.cluster.KeyspaceStateMachine;
import io.redraft.cluster.WriteEntry;
import io.redraft.command.CommandContext;
import io.redraft.command.CommandTable;
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
    private long index;
    private long time;

    StateMachineDriver(long startTime) {
        this.time = startTime;
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

    /** Applies an active-expiry deletion entry for key in db. */
    void expireEntry(int db, String key) {
        apply(new WriteEntry(WriteEntry.EXPIRE, db, ++time, new byte[][] {key.getBytes(StandardCharsets.UTF_8)}));
    }

    void apply(WriteEntry entry) {
        machine.apply(++index, entry, null);
    }
}
