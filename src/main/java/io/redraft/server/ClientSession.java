package io.redraft.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.redraft.resp.RespWriter;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The state of one client connection. Everything but the volatile fields is owned by the
 * keyspace thread: the selected database, the protocol, the commands waiting to run and the
 * reply bytes waiting to be flushed.
 *
 * <p>Commands run in arrival order. A command that cannot finish at once (a write waiting for
 * its log entry to commit, a blocking pop) {@link #suspend() suspends} the session; later
 * commands wait in {@link #pending()} until it {@link #resume() resumes}, which keeps replies in
 * request order and lets every command see the effects of the earlier ones.
 */
public final class ClientSession {
    /**
     * Stop reading from a client once this many of its decoded commands wait for the keyspace
     * thread: a client that sends faster than we execute must not fill the heap with requests.
     */
    public static final int MAX_QUEUED_COMMANDS = 8192;

    private final long id;
    private final Channel channel;
    private final long createdAt;
    private final String addr;
    private final String laddr;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private final RespWriter writer = new RespWriter(null);
    /** Decoded items handed to the keyspace thread and not yet taken from pending (both threads). */
    private final AtomicInteger queued = new AtomicInteger();

    private volatile long lastInteraction;
    private volatile String name = "";
    private volatile String libName = "";
    private volatile String libVer = "";
    private volatile String lastCommand = "NULL";
    private volatile int db;
    private volatile int protocol = 2;
    private volatile boolean authenticated; // read by the decoder on the event loop
    private ByteBuf out;
    private boolean suspended;
    private boolean waitingForWritable;
    private boolean closing;
    private boolean noEvict;
    private boolean noTouch;
    /** CLIENT REPLY: ON, OFF or SKIP (the next command only). */
    private ReplyMode replyMode = ReplyMode.ON;
    /** MULTI/WATCH state, created on first use: most connections never need it. */
    private TransactionState transaction;

    public enum ReplyMode { ON, OFF, SKIP }

    public ClientSession(long id, Channel channel, long now) {
        this.id = id;
        this.channel = channel;
        this.createdAt = now;
        this.lastInteraction = now;
        this.addr = format(channel == null ? null : channel.remoteAddress());
        this.laddr = format(channel == null ? null : channel.localAddress());
    }

    private static String format(java.net.SocketAddress a) {
        if (a instanceof InetSocketAddress isa) {
            return isa.getAddress().getHostAddress() + ":" + isa.getPort();
        }
        return a == null ? "" : a.toString();
    }

    public long id() {
        return id;
    }

    public Channel channel() {
        return channel;
    }

    public long createdAt() {
        return createdAt;
    }

    public String addr() {
        return addr;
    }

    public String laddr() {
        return laddr;
    }

    public long lastInteraction() {
        return lastInteraction;
    }

    public void touch(long now) {
        lastInteraction = now;
    }

    public String name() {
        return name;
    }

    public void name(String name) {
        this.name = name;
    }

    public String libName() {
        return libName;
    }

    public void libName(String v) {
        this.libName = v;
    }

    public String libVer() {
        return libVer;
    }

    public void libVer(String v) {
        this.libVer = v;
    }

    public String lastCommand() {
        return lastCommand;
    }

    public void lastCommand(String c) {
        this.lastCommand = c;
    }

    public int db() {
        return db;
    }

    public void db(int db) {
        this.db = db;
    }

    public int protocol() {
        return protocol;
    }

    public void protocol(int protocol) {
        this.protocol = protocol;
        writer.protocol(protocol);
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void authenticated(boolean v) {
        this.authenticated = v;
    }

    /**
     * True while this client must still AUTH (the decoder then applies Redis's small request
     * limits). The decoder runs ahead of execution, so an AUTH pipelined in the same write as a
     * large request is not yet counted when that request is decoded.
     */
    public boolean unauthenticated() {
        return !authenticated;
    }

    public boolean noEvict() {
        return noEvict;
    }

    public void noEvict(boolean v) {
        this.noEvict = v;
    }

    public boolean noTouch() {
        return noTouch;
    }

    public void noTouch(boolean v) {
        this.noTouch = v;
    }

    public ReplyMode replyMode() {
        return replyMode;
    }

    public void replyMode(ReplyMode mode) {
        this.replyMode = mode;
    }

    public TransactionState transaction() {
        if (transaction == null) {
            transaction = new TransactionState();
        }
        return transaction;
    }

    /** Inside MULTI: commands are queued until EXEC. */
    public boolean inMulti() {
        return transaction != null && transaction.active();
    }

    public ArrayDeque<Object> pending() {
        return pending;
    }

    /** Event loop: count items handed to the keyspace thread; returns the new backlog. */
    public int enqueued(int n) {
        return queued.addAndGet(n);
    }

    /**
     * Keyspace thread: n items left {@link #pending()}. When the backlog falls back under the
     * limit, reading resumes (if the output allows it).
     */
    public void dequeued(int n) {
        int now = queued.addAndGet(-n);
        if (now < MAX_QUEUED_COMMANDS && now + n >= MAX_QUEUED_COMMANDS && channel != null) {
            channel.eventLoop().execute(this::updateReading);
        }
    }

    /** Items decoded but not yet run (tests and INFO). */
    public int queuedCommands() {
        return queued.get();
    }

    /**
     * Event loop: read from the client only while its replies can leave (the channel is
     * writable) and its backlog of unexecuted commands is bounded. Both conditions are
     * re-evaluated together so neither can re-enable reading that the other stopped.
     */
    public void updateReading() {
        channel.config().setAutoRead(channel.isWritable() && queued.get() < MAX_QUEUED_COMMANDS);
    }

    /** Bytes handed to Netty but not yet written to the socket (tests, INFO omem). */
    public long pendingOutputBytes() {
        io.netty.channel.ChannelOutboundBuffer b = channel.unsafe().outboundBuffer();
        return (b == null ? 0 : b.totalPendingWriteBytes()) + unflushedBytes();
    }

    /** The writer for this client's replies, bound to its output buffer. */
    public RespWriter writer() {
        if (out == null) {
            out = channel.alloc().ioBuffer(256);
            writer.buffer(out);
        }
        return writer;
    }

    /** Bytes of reply produced but not yet handed to Netty. */
    public int unflushedBytes() {
        return out == null ? 0 : out.readableBytes();
    }

    /** Drops reply bytes written since mark (CLIENT REPLY OFF/SKIP). */
    public int outputMark() {
        return out == null ? 0 : out.writerIndex();
    }

    /** Set when CLIENT REPLY SKIP runs while a skip is already in force: the skip moves on to the next command. */
    private boolean skipRearmed;

    /** CLIENT REPLY SKIP: the next command's reply is dropped. */
    public void replySkip() {
        skipRearmed = replyMode == ReplyMode.SKIP;
        replyMode = ReplyMode.SKIP;
    }

    /**
     * Called by the executor after a command that ran with replies OFF or SKIP: drops the reply
     * written since mark (unless the command was CLIENT REPLY ON, whose OK is sent), and ends a
     * one-command SKIP.
     */
    public void afterCommandWithReplyMode(ReplyMode before, int mark) {
        if (replyMode != ReplyMode.ON) {
            discardOutputSince(mark);
        }
        if (before == ReplyMode.SKIP && replyMode == ReplyMode.SKIP && !skipRearmed) {
            replyMode = ReplyMode.ON;
        }
        skipRearmed = false;
    }

    public void discardOutputSince(int mark) {
        if (out != null) {
            out.writerIndex(Math.min(mark, out.writerIndex()));
        }
    }

    /** Hands buffered replies to Netty (one write and flush per batch). */
    public void flush() {
        if (out != null && out.isReadable()) {
            ByteBuf b = out;
            out = null;
            writer.buffer(null);
            if (closing) {
                channel.writeAndFlush(b).addListener(ChannelFutureListener.CLOSE);
            } else {
                channel.writeAndFlush(b, channel.voidPromise());
            }
        } else if (closing) {
            channel.close();
        }
    }

    /** Closes the connection once the replies written so far are flushed (QUIT, protocol errors). */
    public void closeAfterReply() {
        closing = true;
        pending.clear();
    }

    public boolean closing() {
        return closing;
    }

    /** Drops output and closes at once (CLIENT KILL, output limit). */
    public void kill() {
        closing = true;
        pending.clear();
        if (out != null) {
            out.release();
            out = null;
            writer.buffer(null);
        }
        channel.close();
    }

    public boolean suspended() {
        return suspended;
    }

    /**
     * Writes of this session submitted to the log and not yet applied, oldest first; each says
     * whether its reply is to be dropped (CLIENT REPLY OFF or SKIP when it was submitted).
     */
    private final ArrayDeque<Boolean> writesInFlight = new ArrayDeque<>();

    /** Commands asked to be covered by the read barrier in flight, and those a passed one covers. */
    private int readsAsked;
    private int readsCovered;
    private String readFailure;

    /** A read barrier was requested while n commands were pending: they all arrived before it. */
    public void readsAsked(int n) {
        readsAsked = n;
    }

    /** The barrier passed: the commands pending when it was asked may run. */
    public void readsGranted() {
        readsCovered = readsAsked;
        readsAsked = 0;
    }

    /** The barrier failed: the next read answers this error. */
    public void readFailed(String error) {
        readFailure = error;
        readsAsked = 0;
    }

    /** Takes the read failure to answer, if any. */
    public String takeReadFailure() {
        String f = readFailure;
        readFailure = null;
        return f;
    }

    /** Whether the next pending command is covered by a passed barrier. */
    public boolean hasReadCover() {
        return readsCovered > 0;
    }

    /** A pending command was taken: it used up its cover, if it had one. */
    public void useReadCover() {
        if (readsCovered > 0) {
            readsCovered--;
        }
    }

    public int writesInFlight() {
        return writesInFlight.size();
    }

    /**
     * A write was submitted: remember whether its reply is dropped, and end a one-command SKIP
     * (the write was that command).
     */
    public void writeSubmitted() {
        writesInFlight.addLast(replyMode != ReplyMode.ON);
        if (replyMode == ReplyMode.SKIP) {
            replyMode = ReplyMode.ON;
        }
    }

    /** The oldest in-flight write is being answered: whether its reply is to be dropped. */
    public boolean writeAnswered() {
        Boolean drop = writesInFlight.pollFirst();
        return drop != null && drop;
    }

    public void suspend() {
        suspended = true;
    }

    public void resume() {
        suspended = false;
    }

    public boolean waitingForWritable() {
        return waitingForWritable;
    }

    public void waitingForWritable(boolean v) {
        waitingForWritable = v;
    }

    /** Releases buffers when the connection has closed. */
    public void release() {
        pending.clear();
        if (out != null) {
            out.release();
            out = null;
            writer.buffer(null);
        }
    }
}
