package io.redraft.command;

import io.redraft.resp.RespWriter;
import io.redraft.store.GlobMatcher;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/** COMMAND and its subcommands: the command table as Redis 7.0 describes it. */
final class CommandCommands implements CommandFamily {
    private static final String[] HELP = {
            "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full Redis command.",
            "HELP",
            "    Print this help."
    };

    @Override
    public void register(CommandTable t) {
        t.add(command("command", -1).flags(LOADING, STALE).group("server").since("2.8.13").acl("@slow", "@connection")
                .complexity("O(N) where N is the total number of Redis commands")
                .summary("Returns detailed information about all commands.").handler(CommandCommands::all)
                .subcommand(sub("count", 2, "2.8.13", "Returns a count of commands.",
                        (ctx, argv) -> ctx.out().integer(ctx.server().table().size())))
                .subcommand(sub("info", -2, "2.8.13", "Returns information about one, multiple or all commands.",
                        CommandCommands::info))
                .subcommand(sub("docs", -2, "7.0.0", "Returns documentary information about one, multiple or all commands.",
                        CommandCommands::docs))
                .subcommand(sub("list", -2, "7.0.0", "Returns a list of command names.", CommandCommands::list))
                .subcommand(sub("getkeys", -3, "2.8.13", "Extracts the key names from an arbitrary command.",
                        (ctx, argv) -> getkeys(ctx, argv, false)))
                .subcommand(sub("getkeysandflags", -3, "7.0.0", "Extracts the key names and access flags for an arbitrary command.",
                        (ctx, argv) -> getkeys(ctx, argv, true)))
                .subcommand(sub("help", 2, "5.0.0", "Returns helpful text about the different subcommands.",
                        (ctx, argv) -> ClientCommands.writeHelp(ctx, HELP))));
    }

    private static CommandSpec.Builder sub(String name, int arity, String since, String summary, CommandHandler h) {
        return command(name, arity).flags(LOADING, STALE).since(since).summary(summary).acl("@slow", "@connection")
                .handler(h);
    }

    /** The ACL categories of a command: declared ones, else derived from its flags and group. */
    static List<String> aclCategories(CommandSpec spec) {
        Set<String> cats = new LinkedHashSet<>();
        if (spec.aclCategories().length > 0) {
            for (String c : spec.aclCategories()) {
                cats.add(c.startsWith("@") ? c : "@" + c);
            }
        } else {
            if (spec.has(WRITE)) {
                cats.add("@write");
            }
            if (spec.has(READONLY)) {
                cats.add("@read");
            }
            if (spec.has(ADMIN)) {
                cats.add("@admin");
                cats.add("@dangerous");
            }
            if (spec.has(PUBSUB)) {
                cats.add("@pubsub");
            }
            if (spec.has(BLOCKING)) {
                cats.add("@blocking");
            }
            String group = switch (spec.group()) {
                case "generic" -> "@keyspace";
                case "sorted-set" -> "@sortedset";
                case "transactions" -> "@transaction";
                case "string", "list", "set", "hash", "stream", "bitmap", "hyperloglog", "geo", "connection",
                        "scripting", "pubsub" -> "@" + spec.group();
                default -> null;
            };
            if (group != null) {
                cats.add(group);
            }
            cats.add(spec.has(FAST) ? "@fast" : "@slow");
        }
        return new ArrayList<>(cats);
    }

    /** One COMMAND INFO entry (Redis 7.0 layout: 10 fields). */
    static void writeInfo(RespWriter out, CommandSpec spec) {
        out.arrayHeader(10);
        out.bulk(spec.fullName());
        out.integer(spec.arity());
        out.setHeader(spec.flags().size());
        for (CommandFlag f : spec.flags()) {
            out.simple(f.redisName());
        }
        out.integer(spec.firstKey());
        out.integer(spec.lastKey());
        out.integer(spec.firstKey() > 0 ? spec.keyStep() : 0);
        List<String> cats = aclCategories(spec);
        out.setHeader(cats.size());
        for (String c : cats) {
            out.simple(c);
        }
        out.setHeader(0); // tips
        writeKeySpecs(out, spec);
        out.arrayHeader(spec.subcommands().size());
        for (CommandSpec sub : spec.subcommands().values()) {
            writeInfo(out, sub);
        }
    }

    /** Key specs derived from the legacy (first, last, step) triple. */
    private static void writeKeySpecs(RespWriter out, CommandSpec spec) {
        if (spec.firstKey() <= 0) {
            out.arrayHeader(0);
            return;
        }
        out.arrayHeader(1);
        out.mapHeader(3);
        out.bulk("flags");
        if (spec.channelKeys()) {
            out.setHeader(1);
            out.simple("not_key");
        } else if (spec.has(WRITE)) {
            out.setHeader(2);
            out.simple("RW");
            out.simple("UPDATE");
        } else {
            out.setHeader(2);
            out.simple("RO");
            out.simple("ACCESS");
        }
        out.bulk("begin_search");
        out.mapHeader(2);
        out.bulk("type");
        out.bulk("index");
        out.bulk("spec");
        out.mapHeader(1);
        out.bulk("index");
        out.integer(spec.firstKey());
        out.bulk("find_keys");
        out.mapHeader(2);
        out.bulk("type");
        out.bulk("range");
        out.bulk("spec");
        out.mapHeader(3);
        out.bulk("lastkey");
        out.integer(spec.lastKey() < 0 ? spec.lastKey() : spec.lastKey() - spec.firstKey());
        out.bulk("keystep");
        out.integer(spec.keyStep());
        out.bulk("limit");
        out.integer(0);
    }

    private static void all(CommandContext ctx, byte[][] argv) {
        ctx.out().arrayHeader(ctx.server().table().size());
        for (CommandSpec spec : ctx.server().table().all()) {
            writeInfo(ctx.out(), spec);
        }
    }

    /** Looks up "name" or "container|sub" as COMMAND INFO/DOCS accept them. */
    private static CommandSpec find(CommandTable table, String name) {
        int bar = name.indexOf('|');
        if (bar < 0) {
            return table.lookup(name);
        }
        CommandSpec parent = table.lookup(name.substring(0, bar));
        return parent == null ? null : parent.subcommands().get(name.substring(bar + 1).toLowerCase(Locale.ROOT));
    }

    private static void info(CommandContext ctx, byte[][] argv) {
        if (argv.length == 2) {
            all(ctx, argv);
            return;
        }
        ctx.out().arrayHeader(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            CommandSpec spec = find(ctx.server().table(), Args.str(argv[i]));
            if (spec == null) {
                ctx.out().nullArray();
            } else {
                writeInfo(ctx.out(), spec);
            }
        }
    }

    private static void writeDoc(RespWriter out, CommandSpec spec) {
        boolean hasComplexity = !spec.complexity().isEmpty();
        boolean hasSubs = spec.hasSubcommands();
        out.mapHeader(3 + (hasComplexity ? 1 : 0) + (hasSubs ? 1 : 0));
        out.bulk("summary");
        out.bulk(spec.summary());
        out.bulk("since");
        out.bulk(spec.since());
        out.bulk("group");
        out.bulk(spec.group());
        if (hasComplexity) {
            out.bulk("complexity");
            out.bulk(spec.complexity());
        }
        if (hasSubs) {
            out.bulk("subcommands");
            out.mapHeader(spec.subcommands().size());
            for (CommandSpec sub : spec.subcommands().values()) {
                out.bulk(sub.fullName());
                writeDoc(out, sub);
            }
        }
    }

    private static void docs(CommandContext ctx, byte[][] argv) {
        List<CommandSpec> specs = new ArrayList<>();
        if (argv.length == 2) {
            specs.addAll(ctx.server().table().all());
        } else {
            for (int i = 2; i < argv.length; i++) {
                CommandSpec spec = find(ctx.server().table(), Args.str(argv[i]));
                if (spec != null) {
                    specs.add(spec); // unknown names are left out, as Redis does
                }
            }
        }
        ctx.out().mapHeader(specs.size());
        for (CommandSpec spec : specs) {
            ctx.out().bulk(spec.fullName());
            writeDoc(ctx.out(), spec);
        }
    }

    private static void list(CommandContext ctx, byte[][] argv) {
        String filter = null;
        String value = null;
        if (argv.length == 5 && Args.is(argv[2], "filterby")) {
            filter = Args.lower(argv[3]);
            value = Args.str(argv[4]);
            if (!filter.equals("module") && !filter.equals("aclcat") && !filter.equals("pattern")) {
                throw CommandError.SYNTAX;
            }
        } else if (argv.length != 2) {
            throw CommandError.SYNTAX;
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : ctx.server().table().all()) {
            List<CommandSpec> withSubs = new ArrayList<>();
            withSubs.add(spec);
            withSubs.addAll(spec.subcommands().values());
            for (CommandSpec s : withSubs) {
                if (filter == null
                        || (filter.equals("aclcat") && aclCategories(s).contains("@" + value.toLowerCase(Locale.ROOT)))
                        || (filter.equals("pattern") && GlobMatcher.matches(value.getBytes(StandardCharsets.UTF_8),
                        s.fullName().getBytes(StandardCharsets.UTF_8), true))) {
                    names.add(s.fullName());
                }
            }
        }
        ctx.out().arrayHeader(names.size());
        for (String n : names) {
            ctx.out().bulk(n);
        }
    }

    private static void getkeys(CommandContext ctx, byte[][] argv, boolean withFlags) {
        byte[][] cmd = java.util.Arrays.copyOfRange(argv, 2, argv.length);
        CommandSpec spec = ctx.server().table().lookup(cmd[0]);
        if (spec != null && spec.hasSubcommands()) {
            spec = cmd.length > 1 ? spec.subcommand(cmd[1]) : null;
        }
        if (spec == null) {
            throw new CommandError("ERR Invalid command specified");
        }
        if ((spec.firstKey() <= 0 && !spec.hasKeyFinder()) || spec.channelKeys()) {
            throw new CommandError("ERR The command has no key arguments");
        }
        if (!spec.arityAccepts(cmd.length)) {
            throw new CommandError("ERR Invalid number of arguments specified for command");
        }
        int[] keys = spec.keyPositions(cmd);
        if (keys.length == 0) {
            throw new CommandError("ERR Invalid arguments specified for command");
        }
        ctx.out().arrayHeader(keys.length);
        for (int k : keys) {
            if (withFlags) {
                ctx.out().arrayHeader(2);
                ctx.out().bulk(cmd[k]);
                ctx.out().setHeader(2);
                ctx.out().simple(spec.has(WRITE) ? "RW" : "RO");
                ctx.out().simple(spec.has(WRITE) ? "UPDATE" : "ACCESS");
            } else {
                ctx.out().bulk(cmd[k]);
            }
        }
    }
}
