package io.redraft.jepsen;

import static org.junit.jupiter.api.Assertions.*;

import io.redraft.raft.net.PeerFrame;
import io.redraft.raft.net.PeerFrameCodec;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The partition proxy forwards a link's bytes, knows its sender, and cuts exactly the links it is told to. */
@Timeout(30)
class PeerProxyTest {
    private static byte[] hello(long from, long to) {
        return PeerFrameCodec.encode(new PeerFrame.Hello("redraft", from, to, new byte[8], new byte[0]));
    }

    @Test
    void readsTheSenderFromTheHello() throws IOException {
        byte[] frame = hello(3, 1);
        assertEquals(3, PeerProxy.senderOf(Arrays.copyOfRange(frame, 4, frame.length)));
        assertThrows(IOException.class, () -> PeerProxy.senderOf(new byte[] {1, 3, 0}));
    }

    @Test
    void forwardsUntilTheLinkIsCutAndRefusesItUntilHealed() throws Exception {
        Set<Integer> cut = ConcurrentHashMap.newKeySet();
        try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int proxyPort = free.getLocalPort();
            free.close();
            try (PeerProxy proxy = new PeerProxy(proxyPort, 0, target.getLocalPort(), (from, to) -> cut.contains(from))) {
                // Node 2 (index 1) connects to node 1 through the proxy: its HELLO and later bytes arrive.
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxyPort)) {
                    OutputStream out = client.getOutputStream();
                    out.write(hello(2, 1));
                    out.write(new byte[] {7, 7, 7});
                    out.flush();
                    try (Socket upstream = target.accept()) {
                        DataInputStream in = new DataInputStream(upstream.getInputStream());
                        byte[] expected = hello(2, 1);
                        assertArrayEquals(expected, in.readNBytes(expected.length));
                        assertArrayEquals(new byte[] {7, 7, 7}, in.readNBytes(3));
                        // Cut node 2 -> node 1: the live connection is closed.
                        cut.add(1);
                        proxy.cut(1);
                        assertEquals(-1, in.read());
                    }
                    assertEquals(-1, client.getInputStream().read());
                }
                // While cut, a new connection from node 2 is closed after its HELLO; node 3's goes through.
                try (Socket again = new Socket(InetAddress.getLoopbackAddress(), proxyPort)) {
                    again.getOutputStream().write(hello(2, 1));
                    assertEquals(-1, readOrEof(again.getInputStream()));
                }
                try (Socket other = new Socket(InetAddress.getLoopbackAddress(), proxyPort)) {
                    other.getOutputStream().write(hello(3, 1));
                    try (Socket upstream = target.accept()) {
                        assertEquals(hello(3, 1).length, upstream.getInputStream().readNBytes(hello(3, 1).length).length);
                    }
                }
            }
        }
    }

    private static int readOrEof(InputStream in) {
        try {
            return in.read();
        } catch (IOException reset) {
            return -1;
        }
    }
}
