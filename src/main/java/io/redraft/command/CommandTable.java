package io.redraft.command;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one command table: the only place dispatch, arity errors and COMMAND look commands up.
 * Lookups by raw argv[0] bytes avoid creating a String per command on the hot path.
 */
public final class CommandTable {
    private final Map<String, CommandSpec> byName = new TreeMap<>();
    private final Map<Key, CommandSpec> byBytes = new HashMap<>();

    /** The table with every command family Redraft serves. */
    public static CommandTable standard() {
        CommandTable t = new CommandTable();
        for (CommandFamily f : CommandFamilies.ALL) {
            f.register(t);
        }
        return t;
    }

    public CommandTable add(CommandSpec.Builder builder) {
        CommandSpec spec = builder.build();
        if (byName.put(spec.name(), spec) != null) {
            throw new IllegalStateException("command registered twice: " + spec.name());
        }
        byBytes.put(new Key(spec.name().getBytes(StandardCharsets.US_ASCII)), spec);
        return this;
    }

    public void addAll(List<CommandSpec.Builder> builders) {
        builders.forEach(this::add);
    }

    /** The command named by argv[0], case-insensitively, or null. */
    public CommandSpec lookup(byte[] name) {
        return byBytes.get(new Key(name));
    }

    /**
     * The command argv invokes, descending into its subcommand (CONFIG GET → config|get); a
     * container called bare is itself when it has a handler (COMMAND). Null if argv names none.
     */
    public CommandSpec resolve(byte[][] argv) {
        CommandSpec spec = lookup(argv[0]);
        if (spec == null || !spec.hasSubcommands()) {
            return spec;
        }
        if (argv.length > 1) {
            return spec.subcommand(argv[1]);
        }
        return spec.handler() != null ? spec : null;
    }

    public CommandSpec lookup(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(byName.values());
    }

    public int size() {
        return byName.size();
    }

    /** A case-insensitive ASCII key over raw bytes. */
    private static final class Key {
        private final byte[] lower;
        private final int hash;

        Key(byte[] name) {
            byte[] l = new byte[name.length];
            int h = 1;
            for (int i = 0; i < name.length; i++) {
                byte c = name[i];
                if (c >= 'A' && c <= 'Z') {
                    c = (byte) (c + 32);
                }
                l[i] = c;
                h = 31 * h + c;
            }
            this.lower = l;
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && java.util.Arrays.equals(lower, k.lower);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
