package io.redraft.durability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * What one writer sent and which of it the server acknowledged, kept across crashes of the server,
 * and the check of a restarted server against it. A writer's writes are applied in the order it
 * sent them, so after a crash each of its keys holds the last acknowledged value or one sent after
 * it, its counter lies between the acknowledged and the sent INCRs, and its list is a prefix of
 * what it pushed that holds at least the acknowledged pushes.
 *
 * <p>Its keys: {@code s:<id>:<n>} (a few keys SET again and again), {@code u:<id>:<n>} (SET once),
 * {@code c:<id>} (INCR) and {@code l:<id>} (RPUSH). Only the writer's thread touches a model while
 * the writer runs; the test reads it after joining that thread.
 */
final class WriterModel {
    private final int id;
    /** Per SET key, every value sent, in order; the last acknowledged one is at setAcked's position. */
    private final Map<String, List<String>> setSent = new LinkedHashMap<>();
    private final Map<String, Integer> setAcked = new HashMap<>();
    private long incrSent;
    private long incrAcked;
    private final List<String> pushSent = new ArrayList<>();
    private int pushAcked;
    private volatile long acks; // read by the test while the writer runs

    WriterModel(int id) {
        this.id = id;
    }

    int id() {
        return id;
    }

    String counterKey() {
        return "c:" + id;
    }

    String listKey() {
        return "l:" + id;
    }

    /** Acknowledged writes since the model was made. */
    long acks() {
        return acks;
    }

    /** Records a SET about to be sent; returns its position among the key's values. */
    int setSent(String key, String value) {
        List<String> sent = setSent.computeIfAbsent(key, k -> new ArrayList<>());
        sent.add(value);
        return sent.size() - 1;
    }

    void setAcked(String key, int position) {
        setAcked.merge(key, position, Math::max);
        acks = acks + 1;
    }

    /** Records an INCR about to be sent; returns the reply it must get. */
    long incrSent() {
        return ++incrSent;
    }

    void incrAcked(long reply) {
        incrAcked = Math.max(incrAcked, reply);
        acks = acks + 1;
    }

    /** Records an RPUSH about to be sent; returns the list length it must reply. */
    int pushSent(String value) {
        pushSent.add(value);
        return pushSent.size();
    }

    void pushAcked(int length) {
        pushAcked = Math.max(pushAcked, length);
        acks = acks + 1;
    }

    /** Every key this writer may have created. */
    Set<String> keys() {
        Set<String> keys = new java.util.HashSet<>(setSent.keySet());
        if (incrSent > 0) keys.add(counterKey());
        if (!pushSent.isEmpty()) keys.add(listKey());
        return keys;
    }

    /**
     * Checks the server holds every acknowledged write and only values that were sent, adding a
     * line to problems for each violation; then adopts what the server holds as the outcome of the
     * writes that were in flight at the crash (the log after a restart is final: an entry not in it
     * was never committed and never will be), so the model is exact again for the next round.
     */
    void checkAndResolve(Jedis j, List<String> problems) {
        // One pipelined read of everything: a round holds thousands of keys.
        Map<String, Response<String>> values = new HashMap<>();
        Response<String> counterReply;
        Response<List<String>> listReply;
        try (Pipeline p = j.pipelined()) {
            setSent.keySet().forEach(key -> values.put(key, p.get(key)));
            counterReply = p.get(counterKey());
            listReply = p.lrange(listKey(), 0, -1);
            p.sync();
        }
        for (var it = setSent.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            String key = e.getKey();
            List<String> sent = e.getValue();
            int acked = setAcked.getOrDefault(key, -1);
            String actual = values.get(key).get();
            int at = actual == null ? -1 : sent.lastIndexOf(actual);
            if (actual != null && at < 0) {
                problems.add(key + " holds " + actual + ", a value never sent to it (sent: " + tail(sent) + ")");
            } else if (at < acked) {
                problems.add(key + " lost an acknowledged write: holds " + actual + ", last acknowledged "
                        + sent.get(acked) + " (sent: " + tail(sent) + ")");
            } else if (at < 0) {
                it.remove(); // never acknowledged and not there: as if never sent
                setAcked.remove(key);
            } else {
                sent.subList(at + 1, sent.size()).clear();
                setAcked.put(key, at);
            }
        }
        String counter = counterReply.get();
        long count = counter == null ? 0 : Long.parseLong(counter);
        if (count < incrAcked || count > incrSent) {
            problems.add(counterKey() + " = " + count + ", expected between " + incrAcked + " (acknowledged INCRs) and "
                    + incrSent + " (sent)");
        } else {
            incrAcked = incrSent = count;
        }
        List<String> list = listReply.get();
        if (list.size() < pushAcked || list.size() > pushSent.size()
                || !list.equals(pushSent.subList(0, list.size()))) {
            problems.add(listKey() + " has " + list.size() + " elements, expected the first " + pushAcked + " to "
                    + pushSent.size() + " of those pushed, in order; differs from them at position "
                    + firstDifference(list, pushSent));
        } else {
            pushSent.subList(list.size(), pushSent.size()).clear();
            pushAcked = list.size();
        }
    }

    private static int firstDifference(List<String> actual, List<String> sent) {
        int i = 0;
        while (i < actual.size() && i < sent.size() && actual.get(i).equals(sent.get(i))) i++;
        return i;
    }

    private static List<String> tail(List<String> sent) {
        return sent.subList(Math.max(0, sent.size() - 3), sent.size());
    }
}
