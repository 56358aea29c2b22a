package io.redraft.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The replicated address book: the peer-port address of every node that should be a member.
 * Changed only by applying RAFT.NODE ADD/REMOVE entries (so every node holds the same book at the
 * same index); the leader makes the Raft membership follow it one single-server change at a time
 * ({@link RaftDriver}). Keyspace thread; listeners get an immutable copy after each change.
 */
public final class ClusterDirectory {
    private final TreeMap<Long, String> nodes = new TreeMap<>();
    /** Client-port addresses members announced (RAFT.NODE ANNOUNCE), for -MOVED redirections. */
    private final TreeMap<Long, String> clients = new TreeMap<>();
    private volatile SortedMap<Long, String> published = new TreeMap<>();
    private Consumer<SortedMap<Long, String>> listener = m -> { };

    public void onChange(Consumer<SortedMap<Long, String>> l) {
        this.listener = l;
    }

    public String address(long id) {
        return nodes.get(id);
    }

    public boolean contains(long id) {
        return nodes.containsKey(id);
    }

    public int size() {
        return nodes.size();
    }

    /** A copy safe to read from any thread. */
    public SortedMap<Long, String> view() {
        return published;
    }

    public void put(long id, String address) {
        if (!address.equals(nodes.put(id, address))) {
            publish();
        }
    }

    /** The client address member id announced, or null. */
    public String clientAddress(long id) {
        return clients.get(id);
    }

    /** Records member id's client address; ignored for a node not in the book (it was removed meanwhile). */
    public void putClientAddress(long id, String address) {
        if (nodes.containsKey(id)) {
            clients.put(id, address);
        }
    }

    public void remove(long id) {
        clients.remove(id);
        if (nodes.remove(id) != null) {
            publish();
        }
    }

    private void publish() {
        published = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(nodes));
        listener.accept(published);
    }

    /**
     * Binary form for snapshots: count, then id, length, address bytes; then, only if any client
     * address was announced, the client addresses in the same form (older files end before).
     */
    public byte[] encode() {
        int size = encodedSize(nodes) + (clients.isEmpty() ? 0 : encodedSize(clients));
        ByteBuffer b = ByteBuffer.allocate(size);
        encode(nodes, b);
        if (!clients.isEmpty()) {
            encode(clients, b);
        }
        return b.array();
    }

    private static int encodedSize(Map<Long, String> m) {
        int size = 4;
        for (String a : m.values()) {
            size += 8 + 4 + a.getBytes(StandardCharsets.UTF_8).length;
        }
        return size;
    }

    private static void encode(Map<Long, String> m, ByteBuffer b) {
        b.putInt(m.size());
        for (Map.Entry<Long, String> e : m.entrySet()) {
            byte[] a = e.getValue().getBytes(StandardCharsets.UTF_8);
            b.putLong(e.getKey()).putInt(a.length).put(a);
        }
    }

    private static void decode(ByteBuffer b, Map<Long, String> into) {
        int n = b.getInt();
        for (int i = 0; i < n; i++) {
            long id = b.getLong();
            byte[] a = new byte[b.getInt()];
            b.get(a);
            into.put(id, new String(a, StandardCharsets.UTF_8));
        }
    }

    /** Replaces the book with an encoded one (snapshot load). */
    public void restore(byte[] data) {
        nodes.clear();
        clients.clear();
        ByteBuffer b = ByteBuffer.wrap(data);
        decode(b, nodes);
        if (b.hasRemaining()) {
            decode(b, clients);
        }
        publish();
    }
}
