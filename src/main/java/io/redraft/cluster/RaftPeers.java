package io.redraft.cluster;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses raft-peers: {@code id@host:port[,id@host:port...]}, the peer-port address of every member. */
public final class RaftPeers {
    private RaftPeers() {
    }

    /** The members by id, in the order given; empty for an empty string. */
    public static Map<Long, InetSocketAddress> parse(String spec) {
        Map<Long, InetSocketAddress> peers = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int at = p.indexOf('@');
            int colon = p.lastIndexOf(':');
            if (at <= 0 || colon < at + 2 || colon == p.length() - 1) {
                throw new IllegalArgumentException("raft-peers: '" + p + "' is not id@host:port");
            }
            long id;
            int port;
            try {
                id = Long.parseLong(p.substring(0, at));
                port = Integer.parseInt(p.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("raft-peers: '" + p + "' is not id@host:port");
            }
            if (id <= 0 || port <= 0 || port > 65535) {
                throw new IllegalArgumentException("raft-peers: '" + p + "' needs an id > 0 and a port 1..65535");
            }
            if (peers.put(id, new InetSocketAddress(p.substring(at + 1, colon), port)) != null) {
                throw new IllegalArgumentException("raft-peers: node id " + id + " appears twice");
            }
        }
        return peers;
    }

    /** host:port of an address, with the host as given. */
    public static String format(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }
}
