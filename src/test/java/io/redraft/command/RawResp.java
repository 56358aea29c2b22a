package io.redraft.command;

import io.redraft.server.RedraftServer;
import io.redraft.store.KeyEntry;
import io.redraft.store.RedisValue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * A raw RESP connection for tests that check exact wire forms (RESP2 vs RESP3 reply types).
 * Each reply comes back as its exact bytes, e.g. "*2\r\n$1\r\na\r\n,1.5\r\n".
 */
final class RawResp implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawResp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** Runs a task on the server's keyspace thread (where the keyspace may be touched). */
    static <T> T onKeyspaceThread(RedraftServer server, Callable<T> task) throws Exception {
        return server.context().executor().thread().submit(task).get();
    }

    /** OBJECT ENCODING of key in db 0, read on the keyspace thread. */
    static String encoding(RedraftServer server, String key) throws Exception {
        return onKeyspaceThread(server, () -> {
            KeyEntry e = server.context().keyspace().db(0).lookupRead(key.getBytes(StandardCharsets.UTF_8), 0);
            return e == null ? null : ((RedisValue) e.value()).encoding();
        });
    }

    String call(String... args) throws IOException {
        send(args);
        return read();
    }

    /** Sends a command without waiting for its reply. */
    void send(String... args) throws IOException {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next reply or push, as its exact bytes. */
    String read() throws IOException {
        StringBuilder reply = new StringBuilder();
        readValue(reply);
        return reply.toString();
    }

    private void readValue(StringBuilder sb) throws IOException {
        String line = readLine();
        sb.append(line).append("\r\n");
        char type = line.charAt(0);
        switch (type) {
            case '$', '=' -> {
                int len = Integer.parseInt(line.substring(1));
                if (len >= 0) {
                    byte[] b = in.readNBytes(len + 2);
                    sb.append(new String(b, StandardCharsets.UTF_8));
                }
            }
            case '*', '~', '>', '%' -> {
                int n = Integer.parseInt(line.substring(1));
                if (type == '%') {
                    n *= 2;
                }
                for (int i = 0; i < n; i++) {
                    readValue(sb);
                }
            }
            default -> {
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (prev == '\r' && c == '\n') {
                byte[] bytes = b.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            b.write(c);
            prev = c;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
