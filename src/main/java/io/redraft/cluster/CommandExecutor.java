package io.redraft.cluster;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.redraft.command.CommandContext;
import io.redraft.command.CommandFlag;
import io.redraft.command.CommandSpec;
import io.redraft.command.CommandTable;
import io.redraft.raft.Entry;
import io.redraft.resp.ProtocolError;
import io.redraft.resp.RespDecoder;
import io.redraft.resp.RespWriter;
import io.redraft.server.ClientSession;
import io.redraft.server.ServerContext;
import io.redraft.store.Keyspace;
import io.redraft.transport.NettyTransport;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The keyspace thread: the one thread that owns the keyspace. Event loops hand it each
 * connection's decoded commands, a read batch at a time; it runs them in order, sends reads to
 * their handler and writes to the {@link WritePath}, and flushes each connection's replies once
 * per batch. It also runs the server cron (active expiry, statistics).
 */
public final class CommandExecutor {
    /** Stop running a client's commands while this much reply is unflushed; flush, then go on. */
    private static final int FLUSH_THRESHOLD = 64 * 1024;

    private final ServerContext server;
    private final CommandTable table;
    private final Keyspace keyspace;
    private final EventLoopGroup loop;
    private final EventLoop thread;
    private final CommandContext ctx;
    private final CommandInvoker invoker;
    private final KeyspaceStateMachine stateMachine;
    private final TransactionQueue transactions;
    private final FollowerRedirect redirect;
    private WritePath writePath;
    private final SplittableRandom expiryRandom = new SplittableRandom(1);

    public CommandExecutor(ServerContext server) {
        this.server = server;
        this.table = server.table();
        this.keyspace = server.keyspace();
        this.loop = NettyTransport.group(1, "keyspace");
        this.thread = loop.next();
        this.ctx = new CommandContext(server);
        this.invoker = new CommandInvoker(server.stats());
        this.stateMachine = new KeyspaceStateMachine(server, new CommandContext(server), invoker);
        this.writePath = new LocalWritePath(stateMachine);
        this.transactions = new TransactionQueue(server, invoker);
        this.redirect = new FollowerRedirect(server);
        server.executor(this);
    }

    public EventLoop thread() {
        return thread;
    }

    /**
     * Runs task on the keyspace thread, for a thread of its own that reports back (a snapshot's
     * finisher): once the node has shut the keyspace thread down there is nothing left to tell,
     * and the task is dropped.
     */
    public void runUnlessStopped(Runnable task) {
        try {
            thread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // shutting down
        }
    }

    /** The keyspace thread as a one-loop group, on which the client port may register connections. */
    public EventLoopGroup loop() {
        return loop;
    }

    public KeyspaceStateMachine stateMachine() {
        return stateMachine;
    }

    /** Replaces the write path (the Raft log, when it is wired in). Call before serving. */
    public void writePath(WritePath path) {
        this.writePath = path;
    }

    /** Submits an internal write (no client waits for its reply). Keyspace thread. */
    public void propose(WriteEntry entry) {
        writePath.submit(entry, null);
    }

    /**
     * For a command whose reply is that of a write it makes (RAFT.CLUSTER INIT): entry goes to
     * the log and session gets the reply its apply writes, like any write of the session's.
     */
    public void submitOnBehalf(ClientSession session, WriteEntry entry) {
        session.writeSubmitted();
        writePath.submit(entry, session);
    }

    public void start() {
        long period = Math.max(1, 1000 / server.config().getInt("hz"));
        thread.scheduleAtFixedRate(this::cron, period, period, TimeUnit.MILLISECONDS);
    }

    public void shutdown() {
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    /**
     * From an event loop: queue a read batch of decoded commands for session and run them; at
     * once when the connection lives on the keyspace thread's own loop (io-threads 1).
     */
    public void submit(ClientSession session, List<Object> batch) {
        if (thread.inEventLoop()) {
            run(session, batch); // batch is consumed before this returns: the caller may reuse it
        } else {
            thread.execute(() -> run(session, batch));
        }
    }

    private void run(ClientSession session, List<Object> batch) {
        session.pending().addAll(batch);
        drain(session);
    }

    /**
     * From an event loop: the session's channel became writable again. Writability events can
     * arrive late and in bursts (Netty fires some of them later), so the channel is checked
     * again here: a stale event must not run commands while the output is still backed up.
     */
    public void writable(ClientSession session) {
        thread.execute(() -> {
            if (session.waitingForWritable() && session.channel().isWritable()) {
                session.waitingForWritable(false);
                drain(session);
            }
        });
    }

    /** Resumes a suspended session (its pending command finished) and runs what waits behind it. */
    public void resume(ClientSession session) {
        session.resume();
        drain(session);
    }

    /**
     * Runs the session's pending commands until none is left, it suspends, or its output backs
     * up. While the channel is unwritable nothing runs (a new read batch only queues), so a
     * client that does not read holds at most one flush threshold plus one reply on the server.
     *
     * <p>Consecutive writes of a pipeline are all submitted to the log at once (they share its
     * syncs); any other command waits until the session's writes in flight have been applied,
     * so it sees their effects and its reply follows theirs. The apply resumes the session.
     */
    public void drain(ClientSession session) {
        if (session.waitingForWritable()) {
            return; // writable() resumes us
        }
        int taken = 0;
        while (!session.suspended() && !session.closing() && !session.pending().isEmpty()) {
            if (session.unflushedBytes() >= FLUSH_THRESHOLD) {
                session.flush();
                if (!session.channel().isWritable()) {
                    // Hold the remaining commands until the client reads: bounded server memory.
                    session.waitingForWritable(true);
                    break;
                }
            }
            Object item = session.pending().peek();
            if (server.pause().postpones(session, item, table)) {
                break; // CLIENT PAUSE: drained again when the pause ends
            }
            CommandSpec spec = item instanceof byte[][] argv ? resolve(session, argv) : null;
            String moved = spec == null ? null : redirect.moved(session, spec, (byte[][]) item); // follower-redirect
            if (moved != null) {
                if (session.writesInFlight() > 0) {
                    break; // the redirection must follow the replies of the writes before it
                }
                take(session);
                taken++;
                refuse(session, spec, moved);
                continue;
            }
            if (spec != null && (transactions.logged(session, spec)
                    || (!session.inMulti() && writesThisTime(session, spec, (byte[][]) item)))) { // a write, EXEC, or a PFCOUNT that refreshes
                String refused = writePath.refusal();
                if (refused != null && session.writesInFlight() > 0) {
                    break; // the refusal must follow the replies of the writes before it
                }
                take(session);
                taken++;
                if (refused == null) {
                    submitWrite(session, (byte[][]) item);
                } else {
                    refuse(session, spec, refused);
                }
                continue;
            }
            if (session.writesInFlight() > 0) {
                break; // applying the session's writes drains it again
            }
            ReadBarriers barriers = writePath.readBarriers();
            if (barriers != null && spec != null && spec.has(CommandFlag.READONLY) && !session.hasReadCover()
                    && !session.inMulti()) { // inside MULTI a read is only queued: EXEC is ordered by the log
                String failure = session.takeReadFailure();
                if (failure == null) {
                    barriers.request(session);
                    break; // the barrier resumes the session
                }
                take(session);
                taken++;
                refuse(session, spec, failure);
                continue;
            }
            take(session);
            taken++;
            if (item instanceof byte[][] argv) {
                execute(session, argv);
            } else if (item instanceof ProtocolError pe) {
                invoker.reject(null, session.writer(), pe.reply());
                session.closeAfterReply();
            } else if (item == RespDecoder.CLOSE_SILENTLY) {
                session.kill();
                return;
            }
        }
        if (taken > 0) {
            session.dequeued(taken);
        }
        if (!session.waitingForWritable()) {
            session.flush();
        }
    }

    /**
     * Writes go to the log; so does a read that will change its key (PFCOUNT refreshing a stale
     * cached count), decided against the keyspace only once the session's earlier writes have
     * applied, so that it sees their effects. While writes are refused (MISCONF) such a read
     * stays a read, as in Redis, and answers without caching.
     */
    private boolean writesThisTime(ClientSession session, CommandSpec spec, byte[][] argv) {
        return session.writesInFlight() == 0 && writePath.refusal() == null
                && spec.routesAsWrite(keyspace.db(session.db()), argv, System.currentTimeMillis());
    }

    private static void take(ClientSession session) {
        session.pending().poll();
        session.useReadCover();
    }

    private void submitWrite(ClientSession session, byte[][] argv) {
        long now = System.currentTimeMillis();
        session.touch(now);
        session.lastCommand(resolvedSpec.fullName());
        session.writeSubmitted();
        if (!session.inMulti() && resolvedSpec.has(CommandFlag.BLOCKING)) {
            // BLPOP…: nothing behind it runs until it has its reply, now or when it is served.
            // (Inside MULTI it is queued, and EXEC runs it as if its timeout had expired.)
            session.suspend();
            writePath.submit(BlockingApply.blockEntry(server.runId(), session, now, argv), session);
        } else {
            writePath.submit(transactions.entry(session, resolvedSpec, argv, now), session);
        }
    }

    /** Answers a write the write path refuses (MISCONF), as any error: under the reply mode. */
    private void refuse(ClientSession session, CommandSpec spec, String error) {
        ClientSession.ReplyMode mode = session.replyMode();
        int mark = session.outputMark();
        session.lastCommand(spec.fullName());
        invoker.reject(spec, session.writer(), transactions.rejected(session, spec, error));
        if (mode != ClientSession.ReplyMode.ON) {
            session.afterCommandWithReplyMode(mode, mark);
        }
    }

    /**
     * What became of a submitted entry, with the clients waiting for it on this node (one per
     * write of the entry, null where none waits): committed, or failed with an error for all.
     */
    public record Outcome(Entry entry, ClientSession[] sessions, String error) {
        private static final ClientSession[] NONE = new ClientSession[0];

        public static Outcome applied(Entry entry, ClientSession[] sessions) {
            return new Outcome(entry, sessions == null ? NONE : sessions, null);
        }

        public static Outcome failed(ClientSession[] sessions, String error) {
            return new Outcome(null, sessions, error);
        }

        public static Outcome failed(ClientSession session, String error) {
            return failed(new ClientSession[]{session}, error);
        }
    }

    private final Set<ClientSession> answered = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * From the Raft driver: apply committed entries in log order and answer failed writes, then
     * flush the clients answered and run what waited behind their writes. done, if given, is
     * completed with the applied index afterwards.
     */
    public void applyCommitted(List<Outcome> batch, CompletableFuture<Long> done) {
        thread.execute(() -> {
            for (Outcome o : batch) {
                if (o.entry() != null) {
                    apply(o.entry(), o.sessions());
                } else {
                    for (ClientSession session : o.sessions()) {
                        fail(session, o.error());
                    }
                }
            }
            for (ClientSession session : answered) {
                if (session.writesInFlight() == 0) {
                    drain(session);
                } else if (!session.waitingForWritable() && !session.closing()) {
                    session.flush();
                }
            }
            answered.clear();
            ReadBarriers barriers = writePath.readBarriers();
            if (barriers != null) {
                barriers.afterApply(stateMachine.appliedIndex());
            }
            SnapshotManager snapshots = server.snapshots();
            if (snapshots != null) {
                snapshots.afterApply();
            }
            if (done != null) {
                done.complete(stateMachine.appliedIndex());
            }
        });
    }

    private void apply(Entry e, ClientSession[] sessions) {
        if (e.type() == Entry.Type.NOOP) {
            stateMachine.applyLeaderNoop(e.index());
            return;
        }
        if (e.type() != Entry.Type.NORMAL) {
            stateMachine.applyEmpty(e.index());
            return;
        }
        List<WriteEntry> parts = WriteEntry.decodeParts(e.data());
        for (int i = 0; i < parts.size(); i++) {
            ClientSession session = i < sessions.length ? sessions[i] : null;
            stateMachine.apply(e.index(), parts.get(i), session);
            if (session != null) {
                answered.add(session);
            }
        }
    }

    private void fail(ClientSession session, String error) {
        if (session == null) {
            return;
        }
        boolean drop = session.writeAnswered();
        if (!drop && !session.closing()) {
            invoker.reject(null, session.writer(), error);
        }
        if (session.writesInFlight() == 0 && session.blockedOn() == 0) {
            session.resume(); // a failed BLPOP… must not leave its session suspended
        }
        answered.add(session);
    }

    private void execute(ClientSession session, byte[][] argv) {
        ClientSession.ReplyMode mode = session.replyMode();
        if (mode == ClientSession.ReplyMode.ON) {
            dispatch(session, argv);
            return;
        }
        // CLIENT REPLY OFF/SKIP: run the command, then drop what it wrote.
        int mark = session.outputMark();
        dispatch(session, argv);
        session.afterCommandWithReplyMode(mode, mark);
    }

    /**
     * Set by {@link #resolve}: the (sub)command argv names, even when refused for arity or auth
     * (null if unknown); and when refused, the spec charged with the refusal and the error.
     */
    private CommandSpec resolvedSpec;
    private CommandSpec rejectSpec;
    private String rejectMessage;

    /**
     * Finds the spec argv runs, or the error that refuses it (unknown command or subcommand,
     * arity, authentication, a RESP2 connection in subscribed mode). Has no effect but on the
     * three fields above, so the executor can look at a command before deciding to run it.
     */
    private CommandSpec resolve(ClientSession session, byte[][] argv) {
        resolvedSpec = null;
        rejectSpec = null;
        CommandSpec spec = table.lookup(argv[0]);
        if (spec == null) {
            return reject(null, unknownCommand(argv));
        }
        // A container with its own handler (bare COMMAND) runs that handler when no subcommand is given.
        if (spec.hasSubcommands() && !(argv.length == 1 && spec.handler() != null)) {
            if (argv.length < 2) {
                return reject(spec, "ERR wrong number of arguments for '" + spec.name() + "' command");
            }
            CommandSpec sub = spec.subcommand(argv[1]);
            if (sub == null) {
                return reject(spec, "ERR unknown subcommand '" + abbreviate(argv[1])
                        + "'. Try " + spec.name().toUpperCase() + " HELP.");
            }
            spec = sub;
        }
        resolvedSpec = spec; // named by CLIENT LIST's cmd= even when refused below
        if (!spec.arityAccepts(argv.length)) {
            return reject(spec, "ERR wrong number of arguments for '" + spec.fullName() + "' command");
        }
        if (!session.authenticated() && !spec.has(CommandFlag.NO_AUTH) && requiresAuth()) {
            return reject(spec, "NOAUTH Authentication required.");
        }
        String refusal = server.pubsub().refusal(session, spec.fullName()); // RESP2 subscribed mode
        if (refusal != null) {
            return reject(spec, refusal);
        }
        return spec;
    }

    private CommandSpec reject(CommandSpec spec, String message) {
        rejectSpec = spec;
        rejectMessage = message;
        return null;
    }

    private void dispatch(ClientSession session, byte[][] argv) {
        long now = System.currentTimeMillis();
        session.touch(now);
        RespWriter out = session.writer();
        CommandSpec spec = resolve(session, argv);
        if (spec == null) {
            if (resolvedSpec != null) {
                session.lastCommand(resolvedSpec.fullName());
            }
            invoker.reject(rejectSpec, out, transactions.rejected(session, resolvedSpec, rejectMessage));
            return;
        }
        session.lastCommand(spec.fullName());
        if (transactions.intercept(session, spec, argv)) {
            return; // queued inside MULTI, or refused there
        }
        ctx.reset(spec, keyspace.db(session.db()), now, 0, out, session);
        invoker.invoke(spec, ctx, argv);
    }

    private boolean requiresAuth() {
        return !server.config().get("requirepass").isEmpty();
    }

    /** Redis's text: ERR unknown command 'x', with args beginning with: 'a' 'b' */
    static String unknownCommand(byte[][] argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.length && args.length() < 128; i++) {
            String a = new String(argv[i], StandardCharsets.UTF_8);
            int room = 128 - args.length();
            args.append('\'').append(a.length() > room ? a.substring(0, room) : a).append("' ");
        }
        return "ERR unknown command '" + abbreviate(argv[0]) + "', with args beginning with: " + args;
    }

    private static String abbreviate(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    /** Periodic work on the keyspace thread (Redis's serverCron). */
    private void cron() {
        long now = System.currentTimeMillis();
        server.stats().sampleOps(now);
        activeExpire(now);
    }

    /**
     * Finds keys past their deadline and deletes them through the write path, so that under
     * Raft the deletion is a log entry applied on every node, never a local decision.
     */
    private void activeExpire(long now) {
        if (!server.activeExpire() || server.pause().active()) {
            return; // DEBUG SET-ACTIVE-EXPIRE 0, or CLIENT PAUSE (Redis pauses expiry too)
        }
        int effort = server.config().getInt("active-expire-effort");
        for (Keyspace.ExpiredKey k : keyspace.sampleExpired(now, 20 * effort, expiryRandom)) {
            writePath.submit(new WriteEntry(WriteEntry.EXPIRE, k.db(), now, new byte[][]{k.key()}), null);
        }
    }
}
