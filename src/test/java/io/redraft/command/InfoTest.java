package io.redraft.command;

import io.redraft.testing.ServerPerClass;
import io.redraft.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class InfoTest extends ServerPerClass {
    private static void assertField(String info, String regex) {
        assertTrue(Pattern.compile("(?m)^" + regex + "$").matcher(info).find(), regex + " not in:\n" + info);
    }

    @Test
    void defaultSectionsAndFields() {
        try (Jedis j = server.jedis()) {
            String info = j.info();
            for (String s : new String[]{"Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU",
                    "Modules", "Errorstats", "Cluster", "Keyspace"}) {
                assertTrue(info.contains("# " + s + "\r\n"), s);
            }
            assertFalse(info.contains("# Commandstats"));
            assertTrue(info.contains("\r\n"));
            assertField(info, "redis_version:7\\.0\\.0");
            assertField(info, "redis_mode:standalone");
            assertField(info, "arch_bits:(32|64)");
            assertField(info, "process_id:\\d+");
            assertField(info, "run_id:[0-9a-f]{40}");
            assertField(info, "tcp_port:" + server.port());
            assertField(info, "uptime_in_seconds:\\d+");
            assertField(info, "hz:10");
            assertField(info, "connected_clients:\\d+");
            assertField(info, "blocked_clients:0");
            assertField(info, "maxclients:10000");
            assertField(info, "used_memory:\\d+");
            assertField(info, "used_memory_human:[0-9.]+[BKMG]");
            assertField(info, "used_memory_rss:\\d+");
            assertField(info, "maxmemory:0");
            assertField(info, "loading:0");
            assertField(info, "rdb_changes_since_last_save:\\d+");
            assertField(info, "rdb_bgsave_in_progress:0");
            assertField(info, "rdb_last_save_time:\\d+");
            assertField(info, "aof_enabled:0");
            assertField(info, "total_connections_received:\\d+");
            assertField(info, "total_commands_processed:\\d+");
            assertField(info, "instantaneous_ops_per_sec:\\d+");
            assertField(info, "total_net_input_bytes:\\d+");
            assertField(info, "rejected_connections:0");
            assertField(info, "expired_keys:\\d+");
            assertField(info, "evicted_keys:0");
            assertField(info, "keyspace_hits:\\d+");
            assertField(info, "keyspace_misses:\\d+");
            assertField(info, "total_error_replies:\\d+");
            assertField(info, "role:master");
            assertField(info, "connected_slaves:0");
            assertField(info, "used_cpu_sys:[0-9.]+");
            assertField(info, "used_cpu_user:[0-9.]+");
            assertField(info, "cluster_enabled:0");
        }
    }

    @Test
    void sectionsStatsAndKeyspace() {
        try (Jedis j = server.jedis()) {
            j.select(5);
            j.set("info-k", "v");
            j.get("info-k");
            assertThrows(Exception.class, () -> j.sendCommand(() -> "NOPE".getBytes()));
            String one = j.info("keyspace");
            assertTrue(one.startsWith("# Keyspace\r\n"), one);
            assertField(one, "db5:keys=1,expires=0,avg_ttl=0");
            assertFalse(one.contains("# Server"));
            String all = j.info("all");
            assertTrue(all.contains("# Commandstats\r\n"));
            assertField(all, "cmdstat_set:calls=\\d+,usec=\\d+,usec_per_call=\\d+\\.\\d{2},rejected_calls=0,failed_calls=0");
            assertField(all, "errorstat_ERR:count=\\d+");
            // several sections, case-insensitive; unknown ones ignored
            String two = (String) new String((byte[]) j.sendCommand(() -> "INFO".getBytes(), "CPU", "clients", "nosuch"));
            assertTrue(two.startsWith("# Clients\r\n"), two);
            assertTrue(two.contains("\r\n\r\n# CPU\r\n"), two);
            assertEquals(j.info("everything").lines().filter(l -> l.startsWith("#")).count(),
                    all.lines().filter(l -> l.startsWith("#")).count());
            j.select(0);
        }
    }

    @Test
    void infoIsVerbatimInResp3() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.call("HELLO", "3");
            String s = (String) c.call("INFO", "server");
            assertEquals('=', c.lastType());
            assertTrue(s.startsWith("# Server\r\nredis_version:7.0.0\r\n"), s);
        }
    }
}
