package io.redraft.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * A local copy of the last applied address book (file {@code peers} in the Raft directory, in
 * raft-peers syntax), for nodes of a cluster formed at run time (RAFT.CLUSTER), which have no
 * raft-peers: at restart they must reach their peers before they can replay the log that holds
 * the book (a follower's commit index is not kept on disk, so it learns what to apply from the
 * leader, over the peer port). Only a hint: the replicated book stays the authority.
 */
public final class KnownPeers {
    static final String FILE = "peers";

    private KnownPeers() {
    }

    /** The peers the file names if it names nodeId among them, else none. */
    public static Map<Long, InetSocketAddress> read(Path raftDir, long nodeId) {
        Path f = raftDir.resolve(FILE);
        try {
            if (!Files.exists(f)) {
                return Map.of();
            }
            Map<Long, InetSocketAddress> peers = RaftPeers.parse(Files.readString(f, StandardCharsets.UTF_8).trim());
            return peers.containsKey(nodeId) ? peers : Map.of();
        } catch (IOException | IllegalArgumentException e) {
            return Map.of(); // an unreadable hint is no hint
        }
    }

    /** Replaces the file with book (atomically); an empty book is not written. */
    public static void write(Path raftDir, SortedMap<Long, String> book) throws IOException {
        if (book.isEmpty() || !Files.isDirectory(raftDir)) {
            return;
        }
        String text = book.entrySet().stream().map(e -> e.getKey() + "@" + e.getValue()).collect(Collectors.joining(","));
        Path tmp = raftDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, raftDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
