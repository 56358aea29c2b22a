package io.redraft.resp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A plain-socket client for protocol tests: writes raw bytes and reads single replies, with a
 * socket timeout so a test never hangs on a server that does not answer.
 */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        this(port, 10_000);
    }

    RawClient(int port, int timeoutMillis) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(timeoutMillis);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        out = socket.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    RawClient write(String s) throws IOException {
        return write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient write(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    /**
     * Reads one reply as text: "+OK", "-ERR ...", ":1", bulk strings as their content ("(nil)"
     * for null), arrays as "[a, b]".
     */
    String read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed");
        }
        String line = line();
        switch (type) {
            case '+', '-', ':' -> {
                return (char) type + line;
            }
            case '$' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return "(nil)";
                }
                byte[] b = in.readNBytes(n + 2);
                return new String(b, 0, n, StandardCharsets.ISO_8859_1);
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return "(nil)";
                }
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ", ").append(read());
                }
                return sb.append(']').toString();
            }
            default -> throw new IOException("unexpected reply type " + (char) type + line);
        }
    }

    /** Reads a bulk reply of known length without building a String (large values). */
    byte[] readBulk() throws IOException {
        int type = in.read();
        if (type != '$') {
            throw new IOException("expected a bulk reply, got " + (type < 0 ? "EOF" : (char) type + line()));
        }
        int n = Integer.parseInt(line());
        byte[] b = in.readNBytes(n);
        if (in.read() != '\r' || in.read() != '\n') {
            throw new IOException("bulk not followed by CRLF");
        }
        return b;
    }

    /** True when the server closed the connection (EOF or reset) before sending anything more. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException e) {
            return true; // reset: the server closed with our bytes unread
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new EOFException("connection closed mid-line");
            }
            b.write(c);
        }
        if (in.read() != '\n') {
            throw new IOException("CR not followed by LF");
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** A RESP multibulk request. */
    static byte[] command(String... args) {
        StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
