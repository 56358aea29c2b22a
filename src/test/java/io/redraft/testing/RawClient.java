package io.redraft.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal RESP client for tests that must see the exact reply types (RESP3 maps, verbatim
 * strings, pushes). Replies are decoded to Java values: String for simple/bulk/verbatim (verbatim
 * without its "txt:" prefix), Long, Double, Boolean, List for arrays/sets/pushes, and a
 * {@link java.util.LinkedHashMap} for maps; errors are returned as {@link Error}; null for nulls.
 */
public final class RawClient implements AutoCloseable {
    public record Error(String message) {
    }

    /** Remembers the RESP type byte of the last top-level reply. */
    private char lastType;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public void send(String... args) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append('*').append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public Object call(String... args) throws IOException {
        send(args);
        return read();
    }

    public char lastType() {
        return lastType;
    }

    public Object read() throws IOException {
        int t = in.read();
        if (t < 0) {
            throw new IOException("connection closed");
        }
        lastType = (char) t;
        return readBody((char) t);
    }

    /** True when the server closed the connection (reads EOF within the socket timeout). */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private Object readBody(char t) throws IOException {
        String line = line();
        switch (t) {
            case '+':
                return line;
            case '-':
                return new Error(line);
            case ':':
                return Long.parseLong(line);
            case ',':
                return Double.parseDouble(line);
            case '#':
                return line.equals("t");
            case '_':
                return null;
            case '$':
            case '=': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n);
                line();
                String s = new String(b, StandardCharsets.UTF_8);
                return t == '=' ? s.substring(4) : s;
            }
            case '*':
            case '~':
            case '>': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> l = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    l.add(readBody((char) in.read()));
                }
                return l;
            }
            case '%': {
                int n = Integer.parseInt(line);
                java.util.Map<Object, Object> m = new java.util.LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object k = readBody((char) in.read());
                    m.put(k, readBody((char) in.read()));
                }
                return m;
            }
            default:
                throw new IOException("unexpected type " + t);
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
