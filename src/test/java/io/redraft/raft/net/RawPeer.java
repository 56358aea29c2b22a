package io.redraft.raft.net;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * A hand-driven peer on a plain socket, for tests that need a misbehaving node: it speaks the
 * handshake with the codec (no password) and then does whatever the test says, e.g. never reads.
 */
final class RawPeer implements AutoCloseable {
    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawPeer connect(int port) throws IOException {
        return new RawPeer(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    static RawPeer accept(ServerSocket server) throws IOException {
        return new RawPeer(server.accept());
    }

    PeerFrame read() throws IOException {
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return PeerFrameCodec.decode(ByteBuffer.wrap(body));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void write(PeerFrame f) throws IOException {
        write(PeerFrameCodec.encode(f));
    }

    /** Initiator side of a password-less handshake as node {@code self} towards node {@code target}. */
    void handshakeAsInitiator(String cluster, long self, long target) throws IOException {
        write(new PeerFrame.Hello(cluster, self, target, HandshakeAuth.nonce(), new byte[0]));
        if (!(read() instanceof PeerFrame.Hello)) throw new IOException("no HELLO");
        write(new PeerFrame.Proof(new byte[0]));
        if (!(read() instanceof PeerFrame.Welcome)) throw new IOException("no WELCOME");
    }

    /** Acceptor side of a password-less handshake as node {@code self}. */
    void handshakeAsAcceptor(String cluster, long self) throws IOException {
        PeerFrame.Hello h = (PeerFrame.Hello) read();
        write(new PeerFrame.Hello(cluster, self, h.from(), HandshakeAuth.nonce(), new byte[0]));
        if (!(read() instanceof PeerFrame.Proof)) throw new IOException("no PROOF");
        write(new PeerFrame.Welcome());
    }

    /** Whether the other side closed the connection (reads until EOF, discarding). */
    boolean closedByPeer() {
        try {
            socket.setSoTimeout(10_000);
            while (in.read() >= 0) { /* discard */ }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset counts as closed
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
