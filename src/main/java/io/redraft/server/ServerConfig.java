package io.redraft.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The node's configuration: a table of parameters read from a redis.conf-syntax file and
 * {@code --name value} arguments (the later wins, as with redis-server), changed at run time by
 * CONFIG SET. The parameters themselves are declared in {@link ConfigTable}.
 */
public final class ServerConfig {
    private final Map<String, ConfigParameter> byName = new LinkedHashMap<>();
    private Path configFile;

    public ServerConfig() {
        for (ConfigParameter p : ConfigTable.parameters()) {
            register(p);
        }
    }

    private void register(ConfigParameter p) {
        byName.put(p.name(), p);
        for (String alias : p.aliases()) {
            byName.put(alias, p);
        }
    }

    /** Builds a configuration as redis-server does from its command line: [file] [--name value ...]. */
    public static ServerConfig fromArgs(String... args) throws IOException {
        ServerConfig config = new ServerConfig();
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("--")) {
            config.configFile = Path.of(args[0]).toAbsolutePath();
            config.loadFile(config.configFile);
            i = 1;
        }
        StringBuilder lines = new StringBuilder();
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                if (lines.length() > 0) {
                    lines.append('\n');
                }
                lines.append(a.substring(2));
            } else {
                lines.append(' ').append(quote(a));
            }
        }
        config.loadText(lines.toString(), "command line");
        return config;
    }

    private static String quote(String s) {
        return s.isEmpty() || s.chars().anyMatch(Character::isWhitespace) || s.contains("\"")
                ? "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : s;
    }

    public void loadFile(Path file) throws IOException {
        loadText(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Applies redis.conf-syntax text; unknown or invalid lines fail start-up with the line quoted. */
    public void loadText(String text, String source) {
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            List<String> words = ConfigValues.splitLine(trimmed);
            String name = words.get(0).toLowerCase(Locale.ROOT);
            String value = String.join(" ", words.subList(1, words.size()));
            ConfigParameter p = byName.get(name);
            if (p == null) {
                throw new IllegalArgumentException("*** FATAL CONFIG FILE ERROR (" + source + ") *** line " + lineNo
                        + ": >>> '" + trimmed + "'\nBad directive or wrong number of arguments");
            }
            try {
                p.apply(p.validate(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("*** FATAL CONFIG FILE ERROR (" + source + ") *** line " + lineNo
                        + ": >>> '" + trimmed + "'\n" + e.getMessage());
            }
        }
    }

    public Path configFile() {
        return configFile;
    }

    public ConfigParameter parameter(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Distinct parameters, in declaration order. */
    public Collection<ConfigParameter> parameters() {
        return new LinkedHashMap<String, ConfigParameter>() {{
            for (ConfigParameter p : byName.values()) {
                putIfAbsent(p.name(), p);
            }
        }}.values();
    }

    public String get(String name) {
        return parameter(name).value();
    }

    public long getLong(String name) {
        return Long.parseLong(get(name));
    }

    public int getInt(String name) {
        return (int) getLong(name);
    }

    public boolean getBool(String name) {
        return "yes".equals(get(name));
    }

    /**
     * CONFIG SET of several parameters at once: all are validated before any is applied, so
     * the set is all-or-nothing. Returns null on success or Redis's error text.
     */
    public String set(List<String[]> pairs) {
        List<ConfigParameter> params = new ArrayList<>();
        List<String> values = new ArrayList<>();
        java.util.Set<ConfigParameter> seen = new java.util.HashSet<>();
        for (String[] pair : pairs) {
            ConfigParameter p = parameter(pair[0]);
            if (p == null) {
                return "ERR Unknown option or number of arguments for CONFIG SET - '" + pair[0] + "'";
            }
            if (!seen.add(p)) {
                return "ERR CONFIG SET failed (possibly related to argument '" + pair[0] + "') - duplicate parameter";
            }
            if (!p.mutable()) {
                return "ERR CONFIG SET failed (possibly related to argument '" + pair[0] + "') - can't set immutable config";
            }
            if (p.isProtected() && !"yes".equals(get("enable-protected-configs"))) {
                return "ERR CONFIG SET failed (possibly related to argument '" + pair[0] + "') - can't set protected config";
            }
            try {
                values.add(p.validate(pair[1]));
            } catch (IllegalArgumentException e) {
                return "ERR CONFIG SET failed (possibly related to argument '" + pair[0] + "') - " + e.getMessage();
            }
            params.add(p);
        }
        for (int i = 0; i < params.size(); i++) {
            params.get(i).apply(values.get(i));
        }
        return null;
    }

    /** Sets one parameter from code (tests, start-up); throws on an invalid value. */
    public void set(String name, String value) {
        String err = set(List.<String[]>of(new String[]{name, value}));
        if (err != null) {
            ConfigParameter p = parameter(name);
            if (p != null && (!p.mutable() || p.isProtected())) {
                p.apply(p.validate(value));
                return;
            }
            throw new IllegalArgumentException(err);
        }
    }

    /**
     * CONFIG REWRITE: rewrites the file the server started with so that it holds the current
     * configuration. Lines of known parameters are replaced in place by their current value
     * (a parameter named twice keeps its first line), comments and blank lines are kept, and
     * parameters that differ from their default but are not in the file are appended.
     */
    public void rewrite() throws IOException {
        if (configFile == null) {
            throw new IllegalStateException("ERR The server is running without a config file");
        }
        List<String> old = Files.exists(configFile) ? Files.readAllLines(configFile, StandardCharsets.UTF_8) : List.of();
        List<String> out = new ArrayList<>();
        java.util.Set<ConfigParameter> written = new java.util.HashSet<>();
        for (String line : old) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                out.add(line);
                continue;
            }
            List<String> words;
            try {
                words = ConfigValues.splitLine(trimmed);
            } catch (IllegalArgumentException e) {
                out.add(line);
                continue;
            }
            ConfigParameter p = words.isEmpty() ? null : parameter(words.get(0));
            if (p == null) {
                out.add(line); // not ours to judge (e.g. a directive another version knows)
            } else if (written.add(p)) {
                out.add(sameValue(p, words) ? line : directive(p)); // keep the user's spelling (512mb)
            }
        }
        boolean header = false;
        for (ConfigParameter p : parameters()) {
            if (!written.contains(p) && !p.value().equals(p.validate(p.defaultValue()))) {
                if (!header) {
                    out.add("# Generated by CONFIG REWRITE");
                    header = true;
                }
                out.add(directive(p));
            }
        }
        Path tmp = configFile.resolveSibling(configFile.getFileName() + ".rewrite.tmp");
        Files.write(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, configFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean sameValue(ConfigParameter p, List<String> words) {
        try {
            return p.validate(String.join(" ", words.subList(1, words.size()))).equals(p.value());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** "name value" as redis.conf writes it: strings quoted when needed, multi-word values bare. */
    private static String directive(ConfigParameter p) {
        String v = p.value();
        boolean bare = p.type() != ConfigParameter.Type.STRING && !v.isEmpty();
        return p.name() + " " + (bare ? v : quote(v));
    }

    /** Parameters whose name or alias matches a glob pattern (CONFIG GET). */
    public Map<String, ConfigParameter> matching(String pattern) {
        Map<String, ConfigParameter> out = new LinkedHashMap<>();
        String lower = pattern.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, ConfigParameter> e : byName.entrySet()) {
            if (io.redraft.store.GlobMatcher.matches(lower.getBytes(StandardCharsets.UTF_8),
                    e.getKey().getBytes(StandardCharsets.UTF_8), true)) {
                out.putIfAbsent(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
