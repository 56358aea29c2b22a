package io.redraft.command;

import io.redraft.resp.RespWriter;
import io.redraft.server.ClientSession;
import io.redraft.server.ServerContext;
import io.redraft.store.Database;
import io.redraft.store.Keyspace;

import java.util.SplittableRandom;

/**
 * What a handler may use while it runs. The keyspace thread reuses one instance, refilled
 * before every command, so nothing here is allocated per command.
 *
 * <p>For a WRITE applied from the log: {@link #db()} is the entry's database, {@link #now()} its
 * timestamp, {@link #index()} its log index, {@link #random()} seeded from that index, and
 * {@link #session()} is the client waiting for the reply on this node, or null on the others.
 */
public final class CommandContext {
    private final ServerContext server;
    private final Keyspace keyspace;
    private Database db;
    private long now;
    private long index;
    private RespWriter out;
    private ClientSession session;
    private CommandSpec spec;
    private final SplittableRandom localRandom = new SplittableRandom();
    private SplittableRandom random;
    /** The owner a blocking command may register a waiter for; null: it must not block. */
    private String blockOwnerRun;
    private long blockOwnerClient;

    public CommandContext(ServerContext server) {
        this.server = server;
        this.keyspace = server.keyspace();
    }

    /** Refills the context for one command. */
    public void reset(CommandSpec spec, Database db, long now, long index, RespWriter out, ClientSession session) {
        this.spec = spec;
        this.db = db;
        this.now = now;
        this.index = index;
        this.out = out;
        this.session = session;
        this.random = null;
        this.blockOwnerRun = null;
    }

    /**
     * Lets the blocking command of this entry wait for data, on behalf of client clientId of the
     * node incarnation runId. Only entries proposed as blocking get this; anything else (a
     * command inside MULTI, a script) runs a blocking command as if its timeout had expired.
     */
    public void allowBlocking(String runId, long clientId) {
        this.blockOwnerRun = runId;
        this.blockOwnerClient = clientId;
    }

    /** Whether a blocking command may block here (false inside MULTI and for plain entries). */
    public boolean mayBlock() {
        return blockOwnerRun != null;
    }

    public String blockOwnerRun() {
        return blockOwnerRun;
    }

    public long blockOwnerClient() {
        return blockOwnerClient;
    }

    public ServerContext server() {
        return server;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public Database db() {
        return db;
    }

    /** Milliseconds since the epoch: the entry's timestamp for writes, the clock for reads. */
    public long now() {
        return now;
    }

    /** The log index of the write being applied (0 for reads). */
    public long index() {
        return index;
    }

    public RespWriter out() {
        return out;
    }

    /** The client that sent this command on this node, or null when applying for another node. */
    public ClientSession session() {
        return session;
    }

    public CommandSpec spec() {
        return spec;
    }

    /**
     * Randomness for this command: for writes seeded from the entry's index (the same on every
     * node), for reads a per-thread generator.
     */
    public SplittableRandom random() {
        if (random == null) {
            random = index > 0 ? new SplittableRandom(index * 0x9E3779B97F4A7C15L) : localRandom;
        }
        return random;
    }
}
