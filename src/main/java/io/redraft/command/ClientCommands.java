package io.redraft.command;

import io.redraft.pubsub.PubSubRegistry;
import io.redraft.pubsub.SubscriptionKind;
import io.redraft.server.ClientPause;
import io.redraft.server.ClientSession;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/** CLIENT and its subcommands: connection introspection and control. */
final class ClientCommands implements CommandFamily {
    private static final String[] HELP = {
            "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes).",
            "    * ID <client-id>",
            "      Kill connections by client id.",
            "    * MAXAGE <maxage>",
            "      Kill connections older than the specified age.",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "    * ID <client-id> [<client-id> ...]",
            "      Return clients of specified IDs only.",
            "UNPAUSE",
            "    Stop the current client pause, resuming traffic.",
            "PAUSE <timeout> [WRITE|ALL]",
            "    Suspend all, or just write, clients for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "SETINFO <option> <value>",
            "    Set client meta attr. Options are:",
            "    * LIB-NAME: the client lib name.",
            "    * LIB-VER: the client lib version.",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction.",
            "NO-TOUCH (ON|OFF)",
            "    Will not touch LRU/LFU stats when this mode is on.",
            "HELP",
            "    Print this help."
    };

    @Override
    public void register(CommandTable t) {
        t.add(command("client", -2).group("connection").since("2.4.0")
                .summary("A container for client connection commands.").complexity("Depends on subcommand.")
                .subcommand(sub("id", 2, "5.0.0", "Returns the unique client ID of the connection.", ClientCommands::id))
                .subcommand(sub("getname", 2, "2.6.9", "Returns the name of the connection.", ClientCommands::getname))
                .subcommand(sub("setname", 3, "2.6.9", "Sets the connection name.", ClientCommands::setname))
                .subcommand(sub("list", -2, "2.4.0", "Lists open connections.", ClientCommands::list)
                        .flags(ADMIN).complexity("O(N) where N is the number of client connections"))
                .subcommand(sub("info", 2, "6.2.0", "Returns information about the connection.", ClientCommands::info))
                .subcommand(sub("kill", -3, "2.4.0", "Terminates open connections.", ClientCommands::kill).flags(ADMIN)
                        .complexity("O(N) where N is the number of client connections"))
                .subcommand(sub("setinfo", 4, "7.2.0", "Sets information specific to the client or connection.",
                        ClientCommands::setinfo))
                .subcommand(sub("no-evict", 3, "7.0.0", "Sets the client eviction mode of the connection.",
                        ClientCommands::noEvict).flags(ADMIN))
                .subcommand(sub("no-touch", 3, "7.2.0", "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.",
                        ClientCommands::noTouch))
                .subcommand(sub("reply", 3, "3.2.0", "Instructs the server whether to reply to commands.", ClientCommands::reply))
                .subcommand(sub("pause", -3, "3.0.0", "Suspends commands processing.", ClientCommands::pause).flags(ADMIN))
                .subcommand(sub("unpause", 2, "6.2.0", "Resumes processing commands from paused clients.",
                        ClientCommands::unpause).flags(ADMIN))
                .subcommand(sub("help", 2, "5.0.0", "Returns helpful text about the different subcommands.",
                        (ctx, argv) -> writeHelp(ctx, HELP))));
    }

    private static CommandSpec.Builder sub(String name, int arity, String since, String summary, CommandHandler h) {
        return command(name, arity).flags(NOSCRIPT, LOADING, STALE).since(since).summary(summary).complexity("O(1)")
                .acl("@slow", "@connection").handler(h);
    }

    /** Writes a HELP reply: the lines as status replies, as Redis's addReplyHelp does. */
    static void writeHelp(CommandContext ctx, String[] lines) {
        ctx.out().arrayHeader(lines.length);
        for (String l : lines) {
            ctx.out().simple(l);
        }
    }

    /** Client names and library attributes: printable ASCII without spaces (Redis's validateClientAttr). */
    static void validateName(String name, String what) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '!' || c > '~') {
                throw new CommandError("ERR " + what + " cannot contain spaces, newlines or special characters.");
            }
        }
    }

    private static void id(CommandContext ctx, byte[][] argv) {
        ctx.out().integer(ctx.session().id());
    }

    private static void getname(CommandContext ctx, byte[][] argv) {
        String name = ctx.session().name();
        if (name.isEmpty()) {
            ctx.out().nullBulk();
        } else {
            ctx.out().bulk(name);
        }
    }

    private static void setname(CommandContext ctx, byte[][] argv) {
        String name = Args.str(argv[2]);
        validateName(name, "Client names");
        ctx.session().name(name);
        ctx.out().ok();
    }

    private static void setinfo(CommandContext ctx, byte[][] argv) {
        String value = Args.str(argv[3]);
        if (Args.is(argv[2], "lib-name")) {
            validateName(value, "lib-name");
            ctx.session().libName(value);
        } else if (Args.is(argv[2], "lib-ver")) {
            validateName(value, "lib-ver");
            ctx.session().libVer(value);
        } else {
            throw new CommandError("ERR Unrecognized option '" + Args.str(argv[2]) + "'");
        }
        ctx.out().ok();
    }

    private static boolean onOff(byte[] arg) {
        if (Args.is(arg, "on")) {
            return true;
        }
        if (Args.is(arg, "off")) {
            return false;
        }
        throw CommandError.SYNTAX;
    }

    private static void noEvict(CommandContext ctx, byte[][] argv) {
        ctx.session().noEvict(onOff(argv[2]));
        ctx.out().ok();
    }

    private static void noTouch(CommandContext ctx, byte[][] argv) {
        ctx.session().noTouch(onOff(argv[2]));
        ctx.out().ok();
    }

    private static void reply(CommandContext ctx, byte[][] argv) {
        ClientSession s = ctx.session();
        if (Args.is(argv[2], "on")) {
            s.replyMode(ClientSession.ReplyMode.ON);
            ctx.out().ok();
        } else if (Args.is(argv[2], "off")) {
            s.replyMode(ClientSession.ReplyMode.OFF);
        } else if (Args.is(argv[2], "skip")) {
            if (s.replyMode() != ClientSession.ReplyMode.OFF) {
                s.replySkip();
            }
        } else {
            throw CommandError.SYNTAX;
        }
    }

    /** One CLIENT LIST line, fields as Redis 7.0 (buffer figures are Redraft's own or zero). */
    static String describe(ClientSession s, long now, PubSubRegistry pubsub) {
        StringBuilder flags = new StringBuilder();
        if (pubsub.subscribed(s)) {
            flags.append('P');
        }
        if (s.inMulti()) {
            flags.append('x');
        }
        if (s.closing()) {
            flags.append('c');
        }
        if (s.noEvict()) {
            flags.append('e');
        }
        if (s.noTouch()) {
            flags.append('T');
        }
        if (flags.length() == 0) {
            flags.append('N');
        }
        int obl = s.unflushedBytes();
        return "id=" + s.id()
                + " addr=" + s.addr()
                + " laddr=" + s.laddr()
                + " fd=" + fd(s)
                + " name=" + s.name()
                + " age=" + Math.max(0, (now - s.createdAt()) / 1000)
                + " idle=" + Math.max(0, (now - s.lastInteraction()) / 1000)
                + " flags=" + flags
                + " db=" + s.db()
                + " sub=" + pubsub.subscriptions(s, SubscriptionKind.CHANNEL)
                + " psub=" + pubsub.subscriptions(s, SubscriptionKind.PATTERN)
                + " ssub=" + pubsub.subscriptions(s, SubscriptionKind.SHARD)
                + " multi=" + (s.inMulti() ? s.transaction().queued().size() : -1) + " qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0"
                + " rbs=0 rbp=0 obl=" + obl + " oll=0 omem=" + obl
                + " tot-mem=" + obl
                + " events=r cmd=" + s.lastCommand()
                + " user=default redir=-1 resp=" + s.protocol()
                + " lib-name=" + s.libName()
                + " lib-ver=" + s.libVer();
    }

    private static int fd(ClientSession s) {
        if (s.channel() instanceof io.netty.channel.unix.UnixChannel u) {
            return u.fd().intValue();
        }
        return -1;
    }

    private static void info(CommandContext ctx, byte[][] argv) {
        ctx.out().verbatim(describe(ctx.session(), System.currentTimeMillis(), ctx.server().pubsub()) + "\n");
    }

    private static void list(CommandContext ctx, byte[][] argv) {
        Set<Long> ids = null;
        String type = null;
        int i = 2;
        while (i < argv.length) {
            if (Args.is(argv[i], "type") && i + 1 < argv.length) {
                type = clientType(argv[i + 1]);
                i += 2;
            } else if (Args.is(argv[i], "id") && i + 1 < argv.length) {
                ids = new HashSet<>();
                for (i = i + 1; i < argv.length; i++) {
                    Long id = io.redraft.resp.RedisNumbers.parseLong(argv[i]);
                    if (id == null || id <= 0) {
                        throw new CommandError("ERR Invalid client ID");
                    }
                    ids.add(id);
                }
            } else {
                throw CommandError.SYNTAX;
            }
        }
        List<ClientSession> sessions = new ArrayList<>(ctx.server().clients().all());
        sessions.sort((a, b) -> Long.compare(a.id(), b.id()));
        StringBuilder sb = new StringBuilder();
        long now = System.currentTimeMillis();
        for (ClientSession s : sessions) {
            if ((ids == null || ids.contains(s.id())) && (type == null || type.equals(typeOf(ctx, s)))) {
                sb.append(describe(s, now, ctx.server().pubsub())).append('\n');
            }
        }
        ctx.out().verbatim(sb.toString());
    }

    private static void kill(CommandContext ctx, byte[][] argv) {
        ClientSession me = ctx.session();
        if (argv.length == 3) {
            // Old form: CLIENT KILL ip:port, replies OK or an error.
            String addr = Args.str(argv[2]);
            for (ClientSession s : ctx.server().clients().all()) {
                if (s.addr().equals(addr)) {
                    ctx.out().ok();
                    killSession(s, me);
                    return;
                }
            }
            throw new CommandError("ERR No such client");
        }
        Long id = null;
        String addr = null;
        String laddr = null;
        String user = null;
        boolean skipMe = true;
        String type = null;
        long maxAge = 0;
        for (int i = 2; i < argv.length; i += 2) {
            if (i + 1 >= argv.length) {
                throw CommandError.SYNTAX;
            }
            byte[] v = argv[i + 1];
            if (Args.is(argv[i], "id")) {
                Long parsed = io.redraft.resp.RedisNumbers.parseLong(v);
                if (parsed == null || parsed <= 0) {
                    throw new CommandError("ERR client-id should be greater than 0");
                }
                id = parsed;
            } else if (Args.is(argv[i], "addr")) {
                addr = Args.str(v);
            } else if (Args.is(argv[i], "laddr")) {
                laddr = Args.str(v);
            } else if (Args.is(argv[i], "user")) {
                user = Args.str(v);
            } else if (Args.is(argv[i], "type")) {
                type = clientType(v);
            } else if (Args.is(argv[i], "skipme")) {
                if (Args.is(v, "yes")) {
                    skipMe = true;
                } else if (Args.is(v, "no")) {
                    skipMe = false;
                } else {
                    throw CommandError.SYNTAX;
                }
            } else if (Args.is(argv[i], "maxage")) {
                maxAge = Args.toLong(v);
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (user != null && !user.equals("default")) {
            throw new CommandError("ERR No such user '" + user + "'");
        }
        long now = System.currentTimeMillis();
        List<ClientSession> victims = new ArrayList<>();
        for (ClientSession s : ctx.server().clients().all()) {
            if ((id != null && s.id() != id) || (addr != null && !s.addr().equals(addr))
                    || (laddr != null && !s.laddr().equals(laddr))
                    || (maxAge > 0 && (now - s.createdAt()) / 1000 < maxAge)
                    || (type != null && !type.equals(typeOf(ctx, s)))
                    || (skipMe && s == me)) {
                continue;
            }
            victims.add(s);
        }
        ctx.out().integer(victims.size());
        for (ClientSession s : victims) {
            killSession(s, me);
        }
    }

    /** A TYPE argument as the class name {@link #typeOf} reports ("replica" for slave too). */
    private static String clientType(byte[] arg) {
        return switch (Args.lower(arg)) {
            case "normal" -> "normal";
            case "pubsub" -> "pubsub";
            case "master" -> "master";
            case "replica", "slave" -> "replica";
            default -> throw new CommandError("ERR Unknown client type '" + Args.str(arg) + "'");
        };
    }

    /** Redis's client class: pubsub while subscribed, else normal (Redraft has no replica clients). */
    private static String typeOf(CommandContext ctx, ClientSession s) {
        return ctx.server().pubsub().subscribed(s) ? "pubsub" : "normal";
    }

    /** Closes a client; the caller itself is closed only after its reply is sent. */
    private static void killSession(ClientSession s, ClientSession me) {
        if (s == me) {
            s.closeAfterReply();
        } else {
            s.kill();
        }
    }

    private static void pause(CommandContext ctx, byte[][] argv) {
        if (argv.length > 4) {
            throw CommandError.SYNTAX;
        }
        ClientPause.Mode mode = ClientPause.Mode.ALL;
        if (argv.length == 4) {
            if (Args.is(argv[3], "write")) {
                mode = ClientPause.Mode.WRITE;
            } else if (!Args.is(argv[3], "all")) {
                throw new CommandError("ERR CLIENT PAUSE mode must be WRITE or ALL");
            }
        }
        Long timeout = io.redraft.resp.RedisNumbers.parseLong(argv[2]);
        if (timeout == null) {
            throw new CommandError("ERR timeout is not an integer or out of range");
        }
        if (timeout < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        long now = System.currentTimeMillis();
        long until = timeout > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeout;
        ctx.server().pause().pause(mode, until);
        ctx.out().ok();
    }

    private static void unpause(CommandContext ctx, byte[][] argv) {
        ctx.server().pause().unpause();
        ctx.out().ok();
    }
}
