package io.redraft.command;

/** A group of related commands (strings, keys, server…) that registers itself in the table. */
public interface CommandFamily {
    void register(CommandTable table);
}
