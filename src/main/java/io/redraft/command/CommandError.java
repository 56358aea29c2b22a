package io.redraft.command;

/**
 * An error reply thrown from deep inside a command; the executor writes its message (which
 * includes the prefix, e.g. "ERR syntax error") and counts it. No stack trace: it is control flow.
 */
public class CommandError extends RuntimeException {
    public static final CommandError SYNTAX = new CommandError("ERR syntax error");
    public static final CommandError NOT_INTEGER = new CommandError("ERR value is not an integer or out of range");
    public static final CommandError NOT_FLOAT = new CommandError("ERR value is not a valid float");
    public static final CommandError NOT_POSITIVE = new CommandError("ERR value is out of range, must be positive");
    public static final CommandError OVERFLOW = new CommandError("ERR increment or decrement would overflow");
    public static final CommandError NO_SUCH_KEY = new CommandError("ERR no such key");

    public CommandError(String message) {
        super(message, null, false, false);
    }
}
