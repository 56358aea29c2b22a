package io.redraft.command;

import io.redraft.resp.RespWriter;
import io.redraft.server.ClientSession;
import io.redraft.server.ServerContext;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/** Connection commands: PING ECHO HELLO AUTH SELECT QUIT RESET (CLIENT is in {@link ClientCommands}). */
final class ConnectionCommands implements CommandFamily {
    static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

    @Override
    public void register(CommandTable t) {
        t.add(command("ping", -1).flags(FAST, STALE, LOADING).group("connection").since("1.0.0")
                .acl("@fast", "@connection").complexity("O(1)")
                .summary("Returns the server's liveliness response.").handler(ConnectionCommands::ping));
        t.add(command("echo", 2).flags(FAST, STALE, LOADING).group("connection").since("1.0.0")
                .acl("@fast", "@connection").complexity("O(1)")
                .summary("Returns the given string.").handler((ctx, argv) -> ctx.out().bulk(argv[1])));
        t.add(command("select", 2).flags(FAST, STALE, LOADING).group("connection").since("1.0.0")
                .acl("@keyspace", "@fast").complexity("O(1)")
                .summary("Changes the selected database.").handler(ConnectionCommands::select));
        t.add(command("quit", -1).flags(FAST, STALE, LOADING, NO_AUTH, ALLOW_BUSY).group("connection")
                .acl("@fast", "@connection").complexity("O(1)")
                .since("1.0.0").summary("Closes the connection.").handler(ConnectionCommands::quit));
        t.add(command("hello", -1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).group("connection")
                .acl("@fast", "@connection").complexity("O(1)").since("6.0.0")
                .summary("Handshakes with the Redis server.").handler(ConnectionCommands::hello));
        t.add(command("auth", -2).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).group("connection")
                .acl("@fast", "@connection").complexity("O(N) where N is the number of passwords defined for the user")
                .since("1.0.0").summary("Authenticates the connection.").handler(ConnectionCommands::auth));
        t.add(command("reset", 1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).group("connection")
                .acl("@fast", "@connection").complexity("O(1)").since("6.2.0")
                .summary("Resets the connection.").handler(ConnectionCommands::reset));
    }

    private static void ping(CommandContext ctx, byte[][] argv) {
        if (argv.length > 2) {
            throw new CommandError("ERR wrong number of arguments for 'ping' command");
        }
        if (ctx.server().pubsub().resp2Subscribed(ctx.session())) {
            // A subscribed RESP2 client reads every frame as an array, so PING answers in one.
            ctx.out().arrayHeader(2);
            ctx.out().bulk("pong");
            ctx.out().bulk(argv.length == 2 ? argv[1] : new byte[0]);
        } else if (argv.length == 2) {
            ctx.out().bulk(argv[1]);
        } else {
            ctx.out().simple("PONG");
        }
    }

    private static void select(CommandContext ctx, byte[][] argv) {
        Long id = io.redraft.resp.RedisNumbers.parseLong(argv[1]);
        if (id == null || id < Integer.MIN_VALUE || id > Integer.MAX_VALUE) {
            throw CommandError.NOT_INTEGER;
        }
        if (id < 0 || id >= ctx.keyspace().databaseCount()) {
            throw new CommandError("ERR DB index is out of range");
        }
        ctx.session().db(id.intValue());
        ctx.out().ok();
    }

    private static void quit(CommandContext ctx, byte[][] argv) {
        ctx.out().ok();
        ctx.session().closeAfterReply();
    }

    private static String requirepass(CommandContext ctx) {
        return ctx.server().config().get("requirepass");
    }

    /**
     * Checks a username/password pair against the one user Redraft has, "default", whose
     * password is requirepass (any password is accepted when requirepass is empty: "nopass").
     */
    static boolean checkPassword(CommandContext ctx, String user, byte[] password) {
        if (!"default".equals(user)) {
            return false;
        }
        String required = requirepass(ctx);
        return required.isEmpty() || java.security.MessageDigest.isEqual(
                required.getBytes(java.nio.charset.StandardCharsets.UTF_8), password);
    }

    private static void auth(CommandContext ctx, byte[][] argv) {
        if (argv.length > 3) {
            throw CommandError.SYNTAX;
        }
        if (argv.length == 2 && requirepass(ctx).isEmpty()) {
            throw new CommandError("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        }
        String user = argv.length == 3 ? Args.str(argv[1]) : "default";
        if (!checkPassword(ctx, user, argv[argv.length - 1])) {
            throw new CommandError(WRONGPASS);
        }
        ctx.session().authenticated(true);
        ctx.out().ok();
    }

    private static void hello(CommandContext ctx, byte[][] argv) {
        ClientSession session = ctx.session();
        int protocol = session.protocol();
        int i = 1;
        if (argv.length >= 2) {
            Long ver = io.redraft.resp.RedisNumbers.parseLong(argv[1]);
            if (ver == null) {
                throw new CommandError("ERR Protocol version is not an integer or out of range");
            }
            if (ver < 2 || ver > 3) {
                throw new CommandError("NOPROTO unsupported protocol version");
            }
            protocol = ver.intValue();
            i = 2;
        }
        String user = null;
        byte[] pass = null;
        String name = null;
        for (; i < argv.length; i++) {
            int more = argv.length - i - 1;
            if (Args.is(argv[i], "auth") && more >= 2) {
                user = Args.str(argv[i + 1]);
                pass = argv[i + 2];
                i += 2;
            } else if (Args.is(argv[i], "setname") && more >= 1) {
                name = Args.str(argv[i + 1]);
                ClientCommands.validateName(name, "Client names");
                i += 1;
            } else {
                throw new CommandError("ERR Syntax error in HELLO option '" + Args.str(argv[i]) + "'");
            }
        }
        if (user != null) {
            if (!checkPassword(ctx, user, pass)) {
                throw new CommandError(WRONGPASS);
            }
            session.authenticated(true);
        }
        if (!session.authenticated() && !requirepass(ctx).isEmpty()) {
            throw new CommandError("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select "
                    + "the RESP protocol version at the same time");
        }
        if (name != null) {
            session.name(name);
        }
        session.protocol(protocol);
        RespWriter out = session.writer(); // the writer now speaks the new protocol
        out.mapHeader(7);
        out.bulk("server");
        out.bulk("redis");
        out.bulk("version");
        out.bulk(ServerContext.VERSION);
        out.bulk("proto");
        out.integer(protocol);
        out.bulk("id");
        out.integer(session.id());
        out.bulk("mode");
        out.bulk("standalone");
        out.bulk("role");
        out.bulk("master");
        out.bulk("modules");
        out.arrayHeader(0);
    }

    /** RESET: the connection as it was when it was opened. */
    private static void reset(CommandContext ctx, byte[][] argv) {
        ClientSession s = ctx.session();
        ctx.server().sessionReset(s); // transactions, subscriptions... registered by their families
        s.db(0);
        s.protocol(2);
        s.name("");
        s.replyMode(ClientSession.ReplyMode.ON);
        s.noEvict(false);
        s.noTouch(false);
        s.authenticated(requirepass(ctx).isEmpty());
        s.writer().simple("RESET");
    }
}
