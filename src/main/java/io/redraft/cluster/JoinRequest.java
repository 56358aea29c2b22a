package io.redraft.cluster;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --raft-join host:port}: a new node asks a member (at its client port, over RESP) for the
 * cluster's members, then for its own addition (RAFT.NODE ADD, which any member forwards to the
 * leader like any write). The leader then adds it as a learner and promotes it once caught up.
 */
public final class JoinRequest {
    private static final Pattern MEMBER = Pattern.compile("raft_member_(\\d+):address=([^,]+),");

    private JoinRequest() {
    }

    /** The current members' peer addresses, as the member at clientAddress reports them. */
    public static Map<Long, String> members(String clientAddress) throws IOException {
        String info = call(clientAddress, "RAFT.INFO");
        Map<Long, String> members = new LinkedHashMap<>();
        Matcher m = MEMBER.matcher(info);
        while (m.find()) {
            members.put(Long.parseLong(m.group(1)), m.group(2));
        }
        if (members.isEmpty()) {
            throw new IOException("the node at " + clientAddress + " reported no cluster members");
        }
        return members;
    }

    /**
     * Asks the member at clientAddress to add node id with peer address peerAddress, retrying for
     * up to 30 s while the cluster cannot take it yet (no leader, address book not written).
     */
    public static void requestAddition(String clientAddress, long id, String peerAddress) throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                call(clientAddress, "RAFT.NODE", "ADD", Long.toString(id), peerAddress);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || e.getMessage().contains("already in the cluster")) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Sends one command and returns its reply as text; an error reply throws. */
    private static String call(String address, String... argv) throws IOException {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IOException("raft-join: '" + address + "' is not host:port");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), 5000);
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            StringBuilder req = new StringBuilder("*").append(argv.length).append("\r\n");
            for (String a : argv) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                req.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
            }
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            String line = readLine(in);
            switch (line.charAt(0)) {
                case '+', ':' -> {
                    return line.substring(1);
                }
                case '$' -> {
                    int len = Integer.parseInt(line.substring(1));
                    byte[] body = in.readNBytes(len + 2);
                    return new String(body, 0, len, StandardCharsets.UTF_8);
                }
                default -> throw new IOException("raft-join: " + address + " answered " + line);
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\r') {
                in.read();
                return sb.toString();
            }
            sb.append((char) c);
        }
        throw new IOException("connection closed before a reply");
    }
}
