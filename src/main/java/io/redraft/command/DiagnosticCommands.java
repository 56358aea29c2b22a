package io.redraft.command;

import io.redraft.resp.RespWriter;
import io.redraft.server.ClientSession;
import io.redraft.server.LatencyMonitor;
import io.redraft.server.SlowLog;
import io.redraft.store.KeyEntry;
import io.redraft.store.RedisValue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/** Diagnostics: DEBUG, SLOWLOG, LATENCY and MEMORY. */
final class DiagnosticCommands implements CommandFamily {
    private static final String[] DEBUG_HELP = {
            "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "OBJECT <key>",
            "    Show low level info about the key and associated value.",
            "SET-ACTIVE-EXPIRE <0|1>",
            "    Setting it to 0 disables expiring keys in background when they are not",
            "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
            "    default.",
            "PROTOCOL <type>",
            "    Reply with a test value of the specified type. <type> can be: string,",
            "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
            "    true, false.",
            "RELOAD",
            "    Accepted for compatibility; Redraft keeps no RDB to reload, so the dataset is unchanged.",
            "SLEEP <seconds>",
            "    Stop the server for <seconds>. Decimals allowed.",
            "HELP",
            "    Print this help."
    };
    private static final String[] SLOWLOG_HELP = {
            "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "GET [<count>]",
            "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
            "    Entries are made of:",
            "    id, timestamp, time in microseconds, arguments array, client IP and port,",
            "    client name",
            "LEN",
            "    Return the length of the slowlog.",
            "RESET",
            "    Reset the slowlog.",
            "HELP",
            "    Print this help."
    };
    private static final String[] LATENCY_HELP = {
            "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "DOCTOR",
            "    Return a human readable latency analysis report.",
            "GRAPH <event>",
            "    Return an ASCII latency graph for the <event> class.",
            "HISTORY <event>",
            "    Return time-latency samples for the <event> class.",
            "LATEST",
            "    Return the latest latency samples for all events.",
            "RESET [<event> ...]",
            "    Reset latency data of one or more <event> classes.",
            "    (default: reset all data for all event classes)",
            "HISTOGRAM [COMMAND ...]",
            "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
            "    If no commands are specified then all histograms are replied.",
            "HELP",
            "    Print this help."
    };
    private static final String[] MEMORY_HELP = {
            "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "DOCTOR",
            "    Return memory problems reports.",
            "MALLOC-STATS",
            "    Return internal statistics report from the memory allocator.",
            "PURGE",
            "    Attempt to purge dirty pages for reclamation by the allocator.",
            "STATS",
            "    Return information about the memory usage of the server.",
            "USAGE <key> [SAMPLES <count>]",
            "    Return memory in bytes used by <key> and its value. Nested values are",
            "    sampled up to <count> times (default: 5, 0 means sample all).",
            "HELP",
            "    Print this help."
    };

    @Override
    public void register(CommandTable t) {
        t.add(command("debug", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE).group("server").since("1.0.0")
                .acl("@admin", "@slow", "@dangerous").complexity("Depends on subcommand.")
                .summary("A container for debugging commands.").handler(DiagnosticCommands::debug));
        t.add(command("slowlog", -2).group("server").since("2.2.12").complexity("Depends on subcommand.")
                .summary("A container for slow log commands.")
                .subcommand(admin("get", -2, "2.2.12", "Returns the slow log's entries.", DiagnosticCommands::slowlogGet)
                        .complexity("O(N) where N is the number of entries returned"))
                .subcommand(admin("len", 2, "2.2.12", "Returns the number of entries in the slow log.",
                        (ctx, argv) -> ctx.out().integer(ctx.server().slowLog().size())).complexity("O(1)"))
                .subcommand(admin("reset", 2, "2.2.12", "Clears all entries from the slow log.", (ctx, argv) -> {
                    ctx.server().slowLog().reset();
                    ctx.out().ok();
                }).complexity("O(N) where N is the number of entries in the slowlog"))
                .subcommand(help("slowlog", SLOWLOG_HELP)));
        t.add(command("latency", -2).group("server").since("2.8.13").complexity("Depends on subcommand.")
                .summary("A container for latency diagnostics commands.")
                .subcommand(admin("latest", 2, "2.8.13", "Returns the latest latency samples for all events.",
                        DiagnosticCommands::latencyLatest).complexity("O(1)"))
                .subcommand(admin("history", 3, "2.8.13", "Returns timestamp-latency samples for an event.",
                        DiagnosticCommands::latencyHistory).complexity("O(1)"))
                .subcommand(admin("reset", -2, "2.8.13", "Resets the latency data for one or more events.",
                        DiagnosticCommands::latencyReset).complexity("O(1)"))
                .subcommand(admin("doctor", 2, "2.8.13", "Returns a human-readable latency analysis report.",
                        DiagnosticCommands::latencyDoctor).complexity("O(1)"))
                .subcommand(admin("graph", 3, "2.8.13", "Returns a latency graph for an event.",
                        DiagnosticCommands::latencyGraph).complexity("O(1)"))
                .subcommand(admin("histogram", -2, "7.0.0",
                        "Returns the cumulative distribution of latencies of a subset or all commands.",
                        DiagnosticCommands::latencyHistogram).complexity("O(N) where N is the number of commands with latency information being retrieved."))
                .subcommand(help("latency", LATENCY_HELP)));
        t.add(command("memory", -2).group("server").since("4.0.0").complexity("Depends on subcommand.")
                .summary("A container for memory diagnostics commands.")
                .subcommand(command("usage", -3).flags(READONLY).keys(2, 2, 1).since("4.0.0")
                        .acl("@read", "@slow").complexity("O(N) where N is the number of samples.")
                        .summary("Estimates the memory usage of a key.").handler(DiagnosticCommands::memoryUsage))
                .subcommand(command("doctor", 2).since("4.0.0").acl("@slow").complexity("O(1)")
                        .summary("Outputs a memory problems report.")
                        .handler((ctx, argv) -> ctx.out().verbatim("Hi Sam, I can't find any memory issue in your instance. "
                                + "I can only account for what occurs on this base.")))
                .subcommand(command("purge", 2).since("4.0.0").acl("@slow").complexity("Depends on how much memory is allocated, could be slow")
                        .summary("Asks the allocator to release memory.").handler((ctx, argv) -> ctx.out().ok()))
                .subcommand(command("malloc-stats", 2).since("4.0.0").acl("@slow").complexity("Depends on how much memory is allocated, could be slow")
                        .summary("Returns the allocator statistics.")
                        .handler((ctx, argv) -> ctx.out().verbatim("Stats not supported for the current allocator")))
                .subcommand(help("memory", MEMORY_HELP)));
    }

    private static CommandSpec.Builder admin(String name, int arity, String since, String summary, CommandHandler h) {
        return command(name, arity).flags(ADMIN, LOADING, STALE).since(since).summary(summary)
                .acl("@admin", "@slow", "@dangerous").handler(h);
    }

    private static CommandSpec.Builder help(String parent, String[] lines) {
        return command("help", 2).flags(LOADING, STALE).since("6.2.0").acl("@slow").complexity("O(1)")
                .summary("Returns helpful text about the different subcommands.")
                .handler((ctx, argv) -> ClientCommands.writeHelp(ctx, lines));
    }

    // ---- DEBUG ----

    /** enable-debug-command: "yes", "local" (loopback clients only) or "no", as in Redis 7.0. */
    private static void checkDebugAllowed(CommandContext ctx) {
        String mode = ctx.server().config().get("enable-debug-command");
        if (mode.equals("yes") || (mode.equals("local") && isLocal(ctx.session()))) {
            return;
        }
        throw new CommandError("ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
                + "you can run it from a local connection, otherwise you need to set this option in the "
                + "configuration file, and then restart the server.");
    }

    private static boolean isLocal(ClientSession s) {
        return s == null || s.channel() == null
                || !(s.channel().remoteAddress() instanceof InetSocketAddress a)
                || a.getAddress().isLoopbackAddress();
    }

    private static void debug(CommandContext ctx, byte[][] argv) {
        if (argv.length == 2 && Args.is(argv[1], "help")) {
            ClientCommands.writeHelp(ctx, DEBUG_HELP);
            return;
        }
        checkDebugAllowed(ctx);
        if (Args.is(argv[1], "sleep") && argv.length == 3) {
            double seconds = Args.toDouble(argv[2]);
            long nanos = (long) (seconds * 1e9);
            if (nanos > 0) {
                // Blocks the keyspace thread, as DEBUG SLEEP blocks Redis: that is its purpose.
                java.util.concurrent.locks.LockSupport.parkNanos(nanos);
            }
            ctx.out().ok();
        } else if (Args.is(argv[1], "set-active-expire") && argv.length == 3) {
            ctx.server().activeExpire(!Args.str(argv[2]).trim().startsWith("0"));
            ctx.out().ok();
        } else if (Args.is(argv[1], "object") && argv.length == 3) {
            debugObject(ctx, argv[2]);
        } else if (Args.is(argv[1], "protocol") && argv.length == 3) {
            debugProtocol(ctx, Args.lower(argv[2]));
        } else if (Args.is(argv[1], "reload") || Args.is(argv[1], "change-repl-id")) {
            ctx.out().ok(); // no RDB and no Redis replication: nothing to do, dataset unchanged
        } else {
            throw new CommandError("ERR unknown subcommand '" + Args.str(argv[1]) + "'. Try DEBUG HELP.");
        }
    }

    /** DEBUG PROTOCOL: one sample reply of each RESP type, for testing clients. */
    private static void debugProtocol(CommandContext ctx, String type) {
        RespWriter out = ctx.out();
        switch (type) {
            case "string" -> out.bulk("Hello World");
            case "integer" -> out.integer(12345);
            case "double" -> out.doubleValue(3.141);
            case "bignum" -> {
                String n = "1234567999999999999999999999999999999";
                if (out.resp3()) {
                    out.raw(("(" + n + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                } else {
                    out.bulk(n);
                }
            }
            case "null" -> out.nullBulk();
            case "array", "set" -> {
                if (type.equals("set")) {
                    out.setHeader(3);
                } else {
                    out.arrayHeader(3);
                }
                for (int j = 0; j < 3; j++) {
                    out.integer(j);
                }
            }
            case "map" -> {
                out.mapHeader(3);
                for (int j = 0; j < 3; j++) {
                    out.integer(j);
                    out.bool(j == 1);
                }
            }
            case "attrib" -> {
                if (out.resp3()) {
                    out.raw("|1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.bulk("key-popularity");
                    out.arrayHeader(2);
                    out.bulk("key:123");
                    out.integer(90);
                }
                out.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (!out.resp3()) {
                    throw new CommandError("ERR RESP2 is not supported by this command");
                }
                out.pushHeader(2);
                out.bulk("server-cpu-usage");
                out.integer(42);
                out.bulk("Some real reply following the push reply");
            }
            case "true" -> out.bool(true);
            case "false" -> out.bool(false);
            case "verbatim" -> out.verbatim("This is a verbatim\nstring");
            default -> throw new CommandError("ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }

    /** The encoding OBJECT ENCODING would report for a value. */
    static String encoding(Object value) {
        if (value instanceof RedisValue rv) {
            return rv.encoding();
        }
        return io.redraft.store.StringEncoding.of((byte[]) value);
    }

    private static void debugObject(CommandContext ctx, byte[] key) {
        KeyEntry e = ctx.db().lookupRead(key, ctx.now());
        if (e == null) {
            throw CommandError.NO_SUCH_KEY;
        }
        long lruSeconds = e.accessedAt() / 1000;
        ctx.out().simple("Value at:0x" + Integer.toHexString(System.identityHashCode(e.value()))
                + " refcount:1 encoding:" + encoding(e.value())
                + " serializedlength:" + serializedLength(e.value())
                + " lru:" + (lruSeconds & ((1 << 24) - 1))
                + " lru_seconds_idle:" + Math.max(0, (System.currentTimeMillis() - e.accessedAt()) / 1000));
    }

    private static long serializedLength(Object value) {
        return value instanceof byte[] b ? b.length : estimate(value) / 2;
    }

    // ---- MEMORY ----

    /** A rough estimate of the bytes a key and its value take: object headers, key, payload. */
    static long estimate(Object value) {
        if (value instanceof byte[] b) {
            return align(16 + b.length);
        }
        return 128; // collections: a fixed estimate until value types report their size
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    private static void memoryUsage(CommandContext ctx, byte[][] argv) {
        if (argv.length == 5 && Args.is(argv[3], "samples")) {
            if (Args.toLong(argv[4]) < 0) {
                throw CommandError.SYNTAX;
            }
        } else if (argv.length != 3) {
            throw CommandError.SYNTAX;
        }
        KeyEntry e = ctx.db().lookupRead(argv[2], ctx.now());
        if (e == null) {
            ctx.out().nullBulk();
            return;
        }
        // entry object + key array + value
        ctx.out().integer(40 + align(16 + argv[2].length) + estimate(e.value()));
    }

    // ---- SLOWLOG ----

    private static void slowlogGet(CommandContext ctx, byte[][] argv) {
        long count = 10;
        if (argv.length == 3) {
            Long c = io.redraft.resp.RedisNumbers.parseLong(argv[2]);
            if (c == null || c < -1) {
                throw new CommandError("ERR count should be greater than or equal to -1");
            }
            count = c == -1 ? Long.MAX_VALUE : c;
        } else if (argv.length > 3) {
            throw CommandError.SYNTAX;
        }
        SlowLog log = ctx.server().slowLog();
        int n = (int) Math.min(count, log.size());
        RespWriter out = ctx.out();
        out.arrayHeader(n);
        Iterator<SlowLog.Entry> it = log.iterator();
        for (int i = 0; i < n; i++) {
            SlowLog.Entry e = it.next();
            out.arrayHeader(6);
            out.integer(e.id());
            out.integer(e.timestampSeconds());
            out.integer(e.micros());
            out.arrayHeader(e.argv().length);
            for (byte[] a : e.argv()) {
                out.bulk(a);
            }
            out.bulk(e.addr());
            out.bulk(e.name());
        }
    }

    // ---- LATENCY ----

    private static void latencyLatest(CommandContext ctx, byte[][] argv) {
        Map<String, LatencyMonitor.Series> events = ctx.server().latency().events();
        ctx.out().arrayHeader(events.size());
        for (Map.Entry<String, LatencyMonitor.Series> e : events.entrySet()) {
            LatencyMonitor.Sample last = e.getValue().latest();
            ctx.out().arrayHeader(4);
            ctx.out().bulk(e.getKey());
            ctx.out().integer(last.timeSeconds());
            ctx.out().integer(last.latencyMillis());
            ctx.out().integer(e.getValue().max());
        }
    }

    private static void latencyHistory(CommandContext ctx, byte[][] argv) {
        LatencyMonitor.Series s = ctx.server().latency().events().get(Args.str(argv[2]));
        if (s == null) {
            ctx.out().arrayHeader(0);
            return;
        }
        ctx.out().arrayHeader(s.samples().size());
        for (LatencyMonitor.Sample sample : s.samples()) {
            ctx.out().arrayHeader(2);
            ctx.out().integer(sample.timeSeconds());
            ctx.out().integer(sample.latencyMillis());
        }
    }

    private static void latencyReset(CommandContext ctx, byte[][] argv) {
        List<String> names = new ArrayList<>();
        for (int i = 2; i < argv.length; i++) {
            names.add(Args.str(argv[i]));
        }
        ctx.out().integer(ctx.server().latency().reset(names));
    }

    private static void latencyGraph(CommandContext ctx, byte[][] argv) {
        String event = Args.str(argv[2]);
        LatencyMonitor.Series s = ctx.server().latency().events().get(event);
        if (s == null) {
            throw new CommandError("ERR No samples available for event '" + event + "'");
        }
        StringBuilder sb = new StringBuilder();
        sb.append(event).append(" - high ").append(s.max()).append(" ms, low ");
        long low = Long.MAX_VALUE;
        for (LatencyMonitor.Sample sample : s.samples()) {
            low = Math.min(low, sample.latencyMillis());
        }
        sb.append(low).append(" ms (all time high ").append(s.max()).append(" ms)\n");
        for (LatencyMonitor.Sample sample : s.samples()) {
            sb.append(sample.timeSeconds()).append(' ').append("#".repeat((int) Math.min(60,
                    Math.max(1, sample.latencyMillis() * 60 / Math.max(1, s.max()))))).append(' ')
                    .append(sample.latencyMillis()).append(" ms\n");
        }
        ctx.out().verbatim(sb.toString());
    }

    private static void latencyDoctor(CommandContext ctx, byte[][] argv) {
        LatencyMonitor monitor = ctx.server().latency();
        StringBuilder sb = new StringBuilder();
        if (monitor.thresholdMillis() == 0) {
            sb.append("I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. "
                    + "You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it.\n");
        } else if (monitor.events().isEmpty()) {
            sb.append("Dave, no latency spike was observed during the lifetime of this Redis instance, "
                    + "not in the slightest bit. I honestly think you ought to sleep tonight.\n");
        } else {
            sb.append("Dave, I have observed latency spikes in this Redis instance.\n\n");
            int i = 1;
            for (Map.Entry<String, LatencyMonitor.Series> e : monitor.events().entrySet()) {
                LatencyMonitor.Series s = e.getValue();
                long sum = 0;
                for (LatencyMonitor.Sample sample : s.samples()) {
                    sum += sample.latencyMillis();
                }
                sb.append(i++).append(". ").append(e.getKey()).append(": ").append(s.samples().size())
                        .append(" latency spikes (average ").append(sum / s.samples().size())
                        .append("ms, worst all time ").append(s.max()).append("ms).\n");
            }
            sb.append("\nI have a few advices for you:\n\n- Check the slow log (SLOWLOG GET) for slow commands.\n");
        }
        ctx.out().verbatim(sb.toString());
    }

    /** LATENCY HISTOGRAM: call counts per command (Redraft keeps no per-command latency histogram yet). */
    private static void latencyHistogram(CommandContext ctx, byte[][] argv) {
        List<CommandSpec> specs = new ArrayList<>();
        for (CommandSpec spec : ctx.server().table().all()) {
            List<CommandSpec> all = new ArrayList<>();
            all.add(spec);
            all.addAll(spec.subcommands().values());
            for (CommandSpec s : all) {
                boolean wanted = argv.length == 2;
                for (int i = 2; i < argv.length && !wanted; i++) {
                    wanted = Args.lower(argv[i]).equals(s.fullName());
                }
                if (wanted && s.calls > 0) {
                    specs.add(s);
                }
            }
        }
        RespWriter out = ctx.out();
        out.mapHeader(specs.size());
        for (CommandSpec s : specs) {
            out.bulk(s.fullName());
            out.mapHeader(2);
            out.bulk("calls");
            out.integer(s.calls);
            out.bulk("histogram_usec");
            out.mapHeader(0);
        }
    }
}
