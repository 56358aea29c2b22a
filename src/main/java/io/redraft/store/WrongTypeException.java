package io.redraft.store;

/** A command met a key holding a value of another type. */
public final class WrongTypeException extends RuntimeException {
    public static final String MESSAGE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final WrongTypeException INSTANCE = new WrongTypeException();

    private WrongTypeException() {
        super(MESSAGE, null, false, false);
    }
}
