package io.redraft.server;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One configuration parameter: its name (and aliases), type, default, whether CONFIG SET may
 * change it at run time, how to validate and normalise a value, and who to tell when it changes.
 */
public final class ConfigParameter {
    public enum Type { STRING, INTEGER, MEMORY, BOOLEAN, ENUM, SPECIAL }

    private final String name;
    private final List<String> aliases;
    private final Type type;
    private final String defaultValue;
    private final boolean mutable;
    private final long min;
    private final long max;
    private final List<String> enumValues;
    private final Validator validator;
    private boolean protectedConfig;
    private volatile String value;
    private Consumer<String> onChange;

    /** Checks and normalises a value; returns the normalised value or throws IllegalArgumentException. */
    @FunctionalInterface
    public interface Validator {
        String normalise(String value);
    }

    private ConfigParameter(String name, List<String> aliases, Type type, String defaultValue, boolean mutable,
                            long min, long max, List<String> enumValues, Validator validator) {
        this.name = name;
        this.aliases = aliases;
        this.type = type;
        this.defaultValue = defaultValue;
        this.mutable = mutable;
        this.min = min;
        this.max = max;
        this.enumValues = enumValues;
        this.validator = validator;
        this.value = defaultValue;
    }

    public static ConfigParameter string(String name, String def, boolean mutable) {
        return new ConfigParameter(name, List.of(), Type.STRING, def, mutable, 0, 0, List.of(), null);
    }

    public static ConfigParameter integer(String name, long def, long min, long max, boolean mutable) {
        return new ConfigParameter(name, List.of(), Type.INTEGER, Long.toString(def), mutable, min, max, List.of(), null);
    }

    public static ConfigParameter memory(String name, long def, long min, long max, boolean mutable) {
        return new ConfigParameter(name, List.of(), Type.MEMORY, Long.toString(def), mutable, min, max, List.of(), null);
    }

    public static ConfigParameter bool(String name, boolean def, boolean mutable) {
        return new ConfigParameter(name, List.of(), Type.BOOLEAN, def ? "yes" : "no", mutable, 0, 0, List.of(), null);
    }

    public static ConfigParameter enumeration(String name, String def, boolean mutable, String... values) {
        return new ConfigParameter(name, List.of(), Type.ENUM, def, mutable, 0, 0, List.of(values), null);
    }

    public static ConfigParameter special(String name, String def, boolean mutable, Validator validator) {
        return new ConfigParameter(name, List.of(), Type.SPECIAL, def, mutable, 0, 0, List.of(), validator);
    }

    public ConfigParameter alias(String... names) {
        ConfigParameter p = new ConfigParameter(name, List.of(names), type, defaultValue, mutable, min, max, enumValues, validator);
        p.protectedConfig = protectedConfig;
        return p;
    }

    /**
     * Marks a parameter Redis 7.0 calls protected (dir, dbfilename): CONFIG SET refuses it unless
     * enable-protected-configs allows it, because it can turn the server into a file writer.
     */
    public ConfigParameter protect() {
        protectedConfig = true;
        return this;
    }

    public boolean isProtected() {
        return protectedConfig;
    }

    public String name() {
        return name;
    }

    public List<String> aliases() {
        return aliases;
    }

    public Type type() {
        return type;
    }

    public boolean mutable() {
        return mutable;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String value() {
        return value;
    }

    public void onChange(Consumer<String> listener) {
        Consumer<String> prev = onChange;
        onChange = prev == null ? listener : prev.andThen(listener);
    }

    /** Validates and normalises a value without applying it. */
    public String validate(String raw) {
        switch (type) {
            case INTEGER: {
                long v;
                try {
                    v = Long.parseLong(raw.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("argument couldn't be parsed into an integer");
                }
                checkRange(v);
                return Long.toString(v);
            }
            case MEMORY: {
                long v = ConfigValues.parseMemory(raw);
                checkRange(v);
                return Long.toString(v);
            }
            case BOOLEAN: {
                String l = raw.toLowerCase(Locale.ROOT);
                if (!l.equals("yes") && !l.equals("no")) {
                    throw new IllegalArgumentException("argument must be 'yes' or 'no'");
                }
                return l;
            }
            case ENUM: {
                String l = raw.toLowerCase(Locale.ROOT);
                if (!enumValues.contains(l)) {
                    throw new IllegalArgumentException("argument(s) must be one of the following: "
                            + String.join(", ", enumValues));
                }
                return l;
            }
            case SPECIAL:
                return validator.normalise(raw);
            default:
                return raw;
        }
    }

    private void checkRange(long v) {
        if (v < min || v > max) {
            throw new IllegalArgumentException("argument must be between " + min + " and " + max + " inclusive");
        }
    }

    /** Sets an already validated value and tells listeners. */
    void apply(String normalised) {
        value = normalised;
        if (onChange != null) {
            onChange.accept(normalised);
        }
    }

    /** The value as CONFIG GET shows it (memory values in bytes, as Redis does). */
    public String display() {
        return value;
    }
}
