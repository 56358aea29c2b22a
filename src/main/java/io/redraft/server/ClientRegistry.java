package io.redraft.server;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The connected clients, by id (CLIENT LIST, CLIENT KILL, INFO clients, maxclients). */
public final class ClientRegistry {
    private final AtomicLong nextId = new AtomicLong();
    private final Map<Long, ClientSession> clients = new ConcurrentHashMap<>();

    public long nextId() {
        return nextId.incrementAndGet();
    }

    public void add(ClientSession s) {
        clients.put(s.id(), s);
    }

    public void remove(ClientSession s) {
        clients.remove(s.id());
    }

    public ClientSession get(long id) {
        return clients.get(id);
    }

    public Collection<ClientSession> all() {
        return clients.values();
    }

    public int size() {
        return clients.size();
    }
}
