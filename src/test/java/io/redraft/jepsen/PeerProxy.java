package io.redraft.jepsen;

import io.redraft.raft.net.PeerFrame;
import io.redraft.raft.net.PeerFrameCodec;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * A TCP proxy in front of one node's peer port, through which every other node reaches it: the
 * cluster's raft-peers name the proxy, the node listens on its real port (raft-port).
 *
 * <p>A Redraft node sends only on the connections it opened (replies come back on the peer's own
 * connection), so each connection through this proxy carries one direction of one link,
 * {@code from -> target}. The proxy learns {@code from} from the connection's first frame, the
 * handshake's HELLO
 * (decoded with the server's own codec), and asks {@code cut} whether that link is down: if so it closes the connection (and the node's
 * reconnect attempts fail the same way until the link heals). {@link #cut(int)} closes the live
 * connections of a link that has just been cut.
 */
final class PeerProxy implements AutoCloseable {
    private final int target;
    private final int targetPort;
    private final BiPredicate<Integer, Integer> isCut;
    private final ServerSocket server;
    private final Set<Pipe> pipes = ConcurrentHashMap.newKeySet();

    /** A proxied connection: from -> target. */
    private record Pipe(int from, Socket client, Socket upstream) {
        void close() {
            quietly(client);
            quietly(upstream);
        }
    }

    /** Listens on {@code publicPort}; node indexes are 0-based, Raft ids 1-based. */
    PeerProxy(int publicPort, int target, int targetPort, BiPredicate<Integer, Integer> isCut) throws IOException {
        this.target = target;
        this.targetPort = targetPort;
        this.isCut = isCut;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), publicPort));
        Thread t = new Thread(this::acceptLoop, "peer-proxy-" + (target + 1));
        t.setDaemon(true);
        t.start();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> open(client), "peer-proxy-" + (target + 1) + "-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    JepsenCluster.sleep(10);
                }
            }
        }
    }

    private void open(Socket client) {
        Socket upstream = null;
        try {
            client.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(client.getInputStream());
            int length = in.readInt();
            if (length < 2 || length > 1 << 16) {
                throw new IOException("not a handshake frame: length " + length);
            }
            byte[] frame = in.readNBytes(length);
            int from = senderOf(frame) - 1;
            if (isCut.test(from, target)) {
                quietly(client);
                return;
            }
            upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            upstream.setTcpNoDelay(true);
            DataOutputStream out = new DataOutputStream(upstream.getOutputStream());
            out.writeInt(length);
            out.write(frame);
            out.flush();
            Pipe pipe = new Pipe(from, client, upstream);
            pipes.add(pipe);
            if (isCut.test(from, target)) { // cut while we connected
                pipe.close();
            }
            Socket up = upstream;
            Thread back = new Thread(() -> pump(pipe, up, client), "peer-proxy-" + (target + 1) + "-back");
            back.setDaemon(true);
            back.start();
            pump(pipe, client, upstream);
        } catch (IOException e) {
            quietly(client);
            if (upstream != null) {
                quietly(upstream);
            }
        }
    }

    /** The sender's Raft id from the connection's first frame, which must be the handshake's HELLO. */
    static int senderOf(byte[] frame) throws IOException {
        try {
            if (PeerFrameCodec.decode(ByteBuffer.wrap(frame)) instanceof PeerFrame.Hello hello) {
                return (int) hello.from();
            }
        } catch (RuntimeException malformed) {
            throw new IOException("malformed first frame", malformed);
        }
        throw new IOException("the first frame is not a HELLO");
    }

    private void pump(Pipe pipe, Socket src, Socket dst) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = src.getInputStream();
            OutputStream out = dst.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException closed) {
            // either side went away, or the link was cut
        } finally {
            pipe.close();
            pipes.remove(pipe);
        }
    }

    /** Closes the live connections from node {@code from} (its link to the target was just cut). */
    void cut(int from) {
        for (Pipe p : pipes) {
            if (p.from() == from) {
                p.close();
            }
        }
    }

    @Override
    public void close() {
        quietly(server);
        pipes.forEach(Pipe::close);
    }

    private static void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
