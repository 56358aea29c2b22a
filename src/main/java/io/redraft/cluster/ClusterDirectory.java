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

    public void remove(long id) {
        if (nodes.remove(id) != null) {
            publish();
        }
    }

    private void publish() {
        published = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(nodes));
        listener.accept(published);
    }

    /** Binary form for snapshots: count, then id, length, address bytes. */
    public byte[] encode() {
        int size = 4;
        for (String a : nodes.values()) {
            size += 8 + 4 + a.getBytes(StandardCharsets.UTF_8).length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(nodes.size());
        for (Map.Entry<Long, String> e : nodes.entrySet()) {
            byte[] a = e.getValue().getBytes(StandardCharsets.UTF_8);
            b.putLong(e.getKey()).putInt(a.length).put(a);
        }
        return b.array();
    }

    /** Replaces the book with an encoded one (snapshot load). */
    public void restore(byte[] data) {
        nodes.clear();
        ByteBuffer b = ByteBuffer.wrap(data);
        int n = b.getInt();
        for (int i = 0; i < n; i++) {
            long id = b.getLong();
            byte[] a = new byte[b.getInt()];
            b.get(a);
            nodes.put(id, new String(a, StandardCharsets.UTF_8));
        }
        publish();
    }
}
