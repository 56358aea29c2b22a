package io.redraft.raft.sim;

import io.redraft.raft.Entry;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/** A tiny key-value state machine: commands are "set key value" tagged with a client op id. */
final class KvStateMachine {
    private final TreeMap<Integer, Long> data = new TreeMap<>();
    private long applied;

    static byte[] setCommand(long opId, int key, long value) {
        return ByteBuffer.allocate(20).putLong(opId).putInt(key).putLong(value).array();
    }

    static long opIdOf(Entry e) {
        return e.type() == Entry.Type.NORMAL && e.data().length == 20 ? ByteBuffer.wrap(e.data()).getLong() : -1;
    }

    void apply(Entry e) {
        if (e.index() != applied + 1) throw new IllegalStateException("apply out of order: " + e.index() + " after " + applied);
        applied = e.index();
        if (e.type() == Entry.Type.NORMAL && e.data().length == 20) {
            ByteBuffer b = ByteBuffer.wrap(e.data());
            b.getLong();
            data.put(b.getInt(), b.getLong());
        }
    }

    Long get(int key) { return data.get(key); }
    long applied() { return applied; }

    byte[] snapshot() {
        ByteBuffer b = ByteBuffer.allocate(12 + 12 * data.size());
        b.putLong(applied).putInt(data.size());
        for (Map.Entry<Integer, Long> e : data.entrySet()) b.putInt(e.getKey()).putLong(e.getValue());
        return b.array();
    }

    static KvStateMachine restore(byte[] snap) {
        KvStateMachine kv = new KvStateMachine();
        if (snap.length == 0) return kv;
        ByteBuffer b = ByteBuffer.wrap(snap);
        kv.applied = b.getLong();
        int n = b.getInt();
        for (int i = 0; i < n; i++) kv.data.put(b.getInt(), b.getLong());
        return kv;
    }
}
