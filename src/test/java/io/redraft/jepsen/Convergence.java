package io.redraft.jepsen;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * After the faults: every node holds the same data. Each node's whole keyspace is read through
 * that node (default read consistency: the node serves from its own state once it has applied
 * everything the leader had committed) and reduced to a digest; all digests must be equal.
 */
final class Convergence {
    /** What one node holds: DBSIZE, every key's type and value, and their SHA-256. */
    record NodeData(int node, long dbsize, Map<String, String> entries, String digest) {
        String summary() {
            return "node " + (node + 1) + ": dbsize " + dbsize + ", " + entries.size() + " keys, digest " + digest;
        }
    }

    private Convergence() {
    }

    static NodeData read(JepsenCluster cluster, int node) {
        try (Jedis j = cluster.connect(node, 10_000)) {
            long dbsize = j.dbSize();
            Map<String, String> entries = new TreeMap<>();
            for (String key : j.keys("*")) {
                String type = j.type(key);
                String value = switch (type) {
                    case "string" -> j.get(key);
                    case "list" -> String.join(",", j.lrange(key, 0, -1));
                    default -> "?";
                };
                entries.put(key, type + ":" + value);
            }
            return new NodeData(node, dbsize, entries, digest(entries));
        }
    }

    private static String digest(Map<String, String> entries) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            entries.forEach((k, v) -> {
                md.update(k.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(v.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            });
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads every node until all agree (a node that just restarted may still be catching up) or
     * the time is up; returns null when they agree, else what differs.
     */
    static String check(JepsenCluster cluster, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        String difference = "no read yet";
        while (System.nanoTime() < deadline) {
            try {
                List<NodeData> data = new java.util.ArrayList<>();
                for (int i = 0; i < cluster.size(); i++) {
                    data.add(read(cluster, i));
                }
                difference = differences(data);
                if (difference == null) {
                    return null;
                }
            } catch (JedisException | IllegalStateException e) {
                difference = "read failed: " + e.getMessage();
            }
            JepsenCluster.sleep(200);
        }
        return difference;
    }

    static String differences(List<NodeData> data) {
        NodeData first = data.get(0);
        StringBuilder sb = new StringBuilder();
        for (NodeData d : data.subList(1, data.size())) {
            if (d.dbsize() != d.entries().size() || first.dbsize() != first.entries().size()) {
                sb.append("\n  DBSIZE disagrees with KEYS: ").append(first.summary()).append("; ").append(d.summary());
            }
            if (!d.digest().equals(first.digest())) {
                sb.append("\n  ").append(first.summary()).append(" vs ").append(d.summary());
                TreeMap<String, String> all = new TreeMap<>(first.entries());
                all.putAll(d.entries());
                int shown = 0;
                for (String k : all.keySet()) {
                    String a = first.entries().get(k);
                    String b = d.entries().get(k);
                    if (!java.util.Objects.equals(a, b) && shown++ < 20) {
                        sb.append("\n    ").append(k).append(": node ").append(first.node() + 1).append('=').append(a)
                                .append(" node ").append(d.node() + 1).append('=').append(b);
                    }
                }
            }
        }
        return sb.length() == 0 ? null : "nodes diverge:" + sb;
    }
}
