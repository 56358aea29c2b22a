package io.redraft.resp;

/**
 * Emitted by {@link RespDecoder} in place of a command when a request is malformed. It travels
 * behind the commands decoded before it, so its error reply keeps request order; the connection
 * is closed once the reply is written.
 */
public record ProtocolError(String message) {
    public String reply() {
        return "ERR Protocol error: " + message;
    }
}
