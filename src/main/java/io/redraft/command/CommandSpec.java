package io.redraft.command;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One row of the command table: everything dispatch, arity checking, key extraction and the
 * COMMAND command need to know about a command, plus its handler and its call statistics.
 *
 * <p>Arity follows Redis: N means exactly N arguments (counting the name), -N at least N.
 * Key positions follow the legacy (first, last, step) triple; last -1 means the last argument.
 */
public final class CommandSpec {
    private final String name;
    private final String fullName;
    private final int arity;
    private final Set<CommandFlag> flags;
    private final int firstKey;
    private final int lastKey;
    private final int keyStep;
    private final String group;
    private final String summary;
    private final String since;
    private final String complexity;
    private final String[] aclCategories;
    private final CommandHandler handler;
    private final Map<String, CommandSpec> subcommands;
    private final KeyFinder keyFinder;
    private final boolean throughLog;
    private final boolean channelKeys;
    private final WriteCondition writeCondition;

    // Statistics for INFO commandstats; touched only by the keyspace thread.
    public long calls;
    public long microseconds;
    public long rejectedCalls;
    public long failedCalls;

    private CommandSpec(Builder b, String parent) {
        this.name = b.name;
        this.fullName = parent == null ? b.name : parent + "|" + b.name;
        this.arity = b.arity;
        this.flags = Collections.unmodifiableSet(b.flags);
        this.firstKey = b.firstKey;
        this.lastKey = b.lastKey;
        this.keyStep = b.keyStep;
        this.group = b.group;
        this.summary = b.summary;
        this.since = b.since;
        this.complexity = b.complexity;
        this.aclCategories = b.aclCategories;
        this.handler = b.handler;
        this.keyFinder = b.keyFinder;
        this.throughLog = b.throughLog;
        this.channelKeys = b.channelKeys;
        this.writeCondition = b.writeCondition;
        Map<String, CommandSpec> subs = new LinkedHashMap<>();
        for (Builder sb : b.subcommands) {
            if (sb.group == null) {
                sb.group = b.group;
            }
            subs.put(sb.name, new CommandSpec(sb, b.name));
        }
        this.subcommands = Collections.unmodifiableMap(subs);
    }

    public static Builder command(String name, int arity) {
        return new Builder(name, arity);
    }

    public String name() {
        return name;
    }

    /** "get", or "config|get" for a subcommand: the name Redis puts in errors and stats. */
    public String fullName() {
        return fullName;
    }

    public int arity() {
        return arity;
    }

    public boolean arityAccepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    public Set<CommandFlag> flags() {
        return flags;
    }

    public boolean has(CommandFlag flag) {
        return flags.contains(flag);
    }

    /**
     * Whether the command goes through the Raft log (applied on every node, in log order): every
     * Redis write, plus commands Redis does not flag write but Redraft must order globally
     * ({@link Builder#throughLog()}, e.g. PUBLISH). What Redis shows (COMMAND INFO flags, key
     * specs, ACL categories) follows {@code has(WRITE)} instead.
     */
    public boolean isWrite() {
        return throughLog || flags.contains(CommandFlag.WRITE);
    }

    /**
     * The key positions name shard channels, not keys (Redis's not_key key specs: SPUBLISH,
     * SSUBSCRIBE, SUNSUBSCRIBE). COMMAND GETKEYS finds no keys in them.
     */
    public boolean channelKeys() {
        return channelKeys;
    }

    /**
     * Whether this call must go through the write path: every WRITE command, and a read whose
     * {@link WriteCondition} says that this call will change the keyspace.
     */
    public boolean routesAsWrite(io.redraft.store.Database db, byte[][] argv, long now) {
        return isWrite() || (writeCondition != null && writeCondition.writes(db, argv, now));
    }

    public int firstKey() {
        return firstKey;
    }

    public int lastKey() {
        return lastKey;
    }

    public int keyStep() {
        return keyStep;
    }

    public String group() {
        return group;
    }

    public String summary() {
        return summary;
    }

    public String since() {
        return since;
    }

    public String complexity() {
        return complexity;
    }

    public String[] aclCategories() {
        return aclCategories;
    }

    public CommandHandler handler() {
        return handler;
    }

    public Map<String, CommandSpec> subcommands() {
        return subcommands;
    }

    public boolean hasSubcommands() {
        return !subcommands.isEmpty();
    }

    public CommandSpec subcommand(byte[] name) {
        return subcommands.get(new String(name, java.nio.charset.StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
    }

    /** Positions of the key arguments in argv (COMMAND GETKEYS, WATCH, cluster routing). */
    public int[] keyPositions(byte[][] argv) {
        if (keyFinder != null) {
            return keyFinder.find(argv);
        }
        if (firstKey <= 0) {
            return new int[0];
        }
        int last = lastKey < 0 ? argv.length + lastKey : lastKey;
        if (last >= argv.length) {
            last = argv.length - 1;
        }
        int count = last < firstKey ? 0 : (last - firstKey) / keyStep + 1;
        int[] keys = new int[count];
        for (int i = 0; i < count; i++) {
            keys[i] = firstKey + i * keyStep;
        }
        return keys;
    }

    /** True when key positions come from a {@link KeyFinder} rather than the (first, last, step) triple. */
    public boolean hasKeyFinder() {
        return keyFinder != null;
    }

    /** Finds keys for commands whose key positions depend on their arguments (e.g. LMPOP, ZUNION). */
    @FunctionalInterface
    public interface KeyFinder {
        int[] find(byte[][] argv);
    }

    /**
     * For a read-flagged command that sometimes changes its key as a side effect (PFCOUNT
     * refreshing an HLL's cached cardinality, as Redis does and replicates): true when this call
     * would, so that it is applied from the log on every node instead of on one node alone.
     * Checked at dispatch against the current keyspace; it must never mutate.
     */
    @FunctionalInterface
    public interface WriteCondition {
        boolean writes(io.redraft.store.Database db, byte[][] argv, long now);
    }

    public void resetStats() {
        calls = 0;
        microseconds = 0;
        rejectedCalls = 0;
        failedCalls = 0;
        for (CommandSpec sub : subcommands.values()) {
            sub.resetStats();
        }
    }

    /** Builds a CommandSpec; families declare their commands with it. */
    public static final class Builder {
        private final String name;
        private final int arity;
        private final EnumSet<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
        private int firstKey;
        private int lastKey;
        private int keyStep = 1;
        private String group = "generic";
        private String summary = "";
        private String since = "1.0.0";
        private String complexity = "";
        private String[] aclCategories = new String[0];
        private CommandHandler handler;
        private KeyFinder keyFinder;
        private boolean throughLog;
        private boolean channelKeys;
        private WriteCondition writeCondition;
        private final java.util.List<Builder> subcommands = new java.util.ArrayList<>();

        private Builder(String name, int arity) {
            this.name = name.toLowerCase(Locale.ROOT);
            this.arity = arity;
        }

        public Builder flags(CommandFlag... fs) {
            flags.addAll(java.util.Arrays.asList(fs));
            return this;
        }

        /** Key positions: first, last (-1 = last argument, -2 = the one before…), step. */
        public Builder keys(int first, int last, int step) {
            this.firstKey = first;
            this.lastKey = last;
            this.keyStep = step;
            return this;
        }

        /** Sends the command through the log although Redis does not flag it write (see isWrite). */
        public Builder throughLog() {
            this.throughLog = true;
            return this;
        }

        /** Key positions that hold shard channels (see {@link CommandSpec#channelKeys()}). */
        public Builder channelKeys(int first, int last) {
            keys(first, last, 1);
            this.channelKeys = true;
            return this;
        }

        public Builder keyFinder(KeyFinder finder) {
            this.keyFinder = finder;
            return this;
        }

        /** See {@link WriteCondition}. */
        public Builder writesWhen(WriteCondition condition) {
            this.writeCondition = condition;
            return this;
        }

        public Builder group(String group) {
            this.group = group;
            return this;
        }

        public Builder summary(String summary) {
            this.summary = summary;
            return this;
        }

        public Builder since(String since) {
            this.since = since;
            return this;
        }

        public Builder complexity(String complexity) {
            this.complexity = complexity;
            return this;
        }

        public Builder acl(String... categories) {
            this.aclCategories = categories;
            return this;
        }

        public Builder handler(CommandHandler handler) {
            this.handler = handler;
            return this;
        }

        /** Adds a subcommand (e.g. CONFIG GET), dispatched on argv[1]. */
        public Builder subcommand(Builder sub) {
            subcommands.add(sub);
            return this;
        }

        public CommandSpec build() {
            if (handler == null && subcommands.isEmpty()) {
                throw new IllegalStateException("command " + name + " has no handler");
            }
            return new CommandSpec(this, null);
        }
    }
}
