package io.redraft.command;

import io.redraft.pubsub.SubscriptionKind;
import io.redraft.server.ClientSession;
import io.redraft.server.ServerContext;
import io.redraft.server.ServerStats;
import io.redraft.store.Database;
import io.redraft.store.Keyspace;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * INFO: Redis 7.0's sections and field names, filled from Redraft's own state. Fields with no
 * Redraft counterpart (fork, RDB/AOF rewrite, replication offsets) keep Redis's name with the
 * value an idle standalone Redis reports, so tools that parse INFO keep working.
 */
final class InfoCommand {
    /** The sections INFO (or INFO default) prints, in Redis's order. */
    static final List<String> DEFAULT = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "errorstats", "cluster", "keyspace", "raft");
    /** INFO all adds these; "everything" is the same for Redraft (no module sections). */
    static final List<String> ALL = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace", "raft");

    private InfoCommand() {
    }

    static void info(CommandContext ctx, byte[][] argv) {
        Set<String> sections = new LinkedHashSet<>();
        if (argv.length == 1) {
            sections.addAll(DEFAULT);
        }
        for (int i = 1; i < argv.length; i++) {
            String s = Args.lower(argv[i]);
            switch (s) {
                case "default" -> sections.addAll(DEFAULT);
                case "all", "everything" -> sections.addAll(ALL);
                default -> sections.add(s);
            }
        }
        ctx.out().verbatim(render(ctx.server(), sections));
    }

    /** The INFO text for the given section names (unknown names are ignored, as Redis does). */
    static String render(ServerContext server, Set<String> wanted) {
        StringBuilder sb = new StringBuilder(4096);
        for (String section : ALL) {
            if (!wanted.contains(section)) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("\r\n");
            }
            sb.append("# ").append(title(section)).append("\r\n");
            switch (section) {
                case "server" -> server(server, sb);
                case "clients" -> clients(server, sb);
                case "memory" -> memory(server, sb);
                case "persistence" -> persistence(server, sb);
                case "stats" -> stats(server, sb);
                case "replication" -> replication(server, sb);
                case "cpu" -> cpu(sb);
                case "commandstats" -> commandstats(server, sb);
                case "errorstats" -> errorstats(server, sb);
                case "cluster" -> field(sb, "cluster_enabled", 0);
                case "keyspace" -> keyspace(server, sb);
                case "raft" -> {
                    if (server.raft() != null) {
                        sb.append(server.raft().status().infoFields(server.executor().stateMachine().appliedIndex(),
                                server.directory()::clientAddress));
                    }
                }
                default -> { } // modules: none; latencystats: no per-command histograms yet
            }
        }
        return sb.toString();
    }

    private static String title(String section) {
        return switch (section) {
            case "cpu" -> "CPU";
            case "commandstats" -> "Commandstats";
            case "errorstats" -> "Errorstats";
            case "latencystats" -> "Latencystats";
            default -> Character.toUpperCase(section.charAt(0)) + section.substring(1);
        };
    }

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    private static void server(ServerContext server, StringBuilder sb) {
        long now = System.currentTimeMillis();
        long uptime = (now - server.startTimeMillis()) / 1000;
        field(sb, "redis_version", ServerContext.VERSION);
        field(sb, "redraft_version", ServerContext.REDRAFT_VERSION);
        field(sb, "redis_git_sha1", "00000000");
        field(sb, "redis_git_dirty", 0);
        field(sb, "redis_build_id", "0");
        field(sb, "redis_mode", "standalone");
        field(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        field(sb, "arch_bits", System.getProperty("os.arch", "").contains("64") ? 64 : 32);
        field(sb, "monotonic_clock", "POSIX clock_gettime");
        field(sb, "multiplexing_api", "epoll");
        field(sb, "atomicvar_api", "java");
        field(sb, "gcc_version", "0.0.0");
        field(sb, "process_id", ProcessHandle.current().pid());
        field(sb, "process_supervised", "no");
        field(sb, "run_id", server.runId());
        field(sb, "tcp_port", server.port());
        field(sb, "server_time_usec", now * 1000);
        field(sb, "uptime_in_seconds", uptime);
        field(sb, "uptime_in_days", uptime / 86400);
        field(sb, "hz", server.config().get("hz"));
        field(sb, "configured_hz", server.config().get("hz"));
        field(sb, "lru_clock", (now / 1000) & ((1 << 24) - 1));
        field(sb, "executable", "");
        field(sb, "config_file", server.config().configFile() == null ? "" : server.config().configFile());
        field(sb, "io_threads_active", 0);
    }

    private static void clients(ServerContext server, StringBuilder sb) {
        field(sb, "connected_clients", server.clients().size());
        field(sb, "cluster_connections", 0);
        field(sb, "maxclients", server.config().get("maxclients"));
        field(sb, "client_recent_max_input_buffer", 0);
        long maxOut = 0;
        for (ClientSession s : server.clients().all()) {
            maxOut = Math.max(maxOut, s.unflushedBytes());
        }
        field(sb, "client_recent_max_output_buffer", maxOut);
        io.redraft.cluster.BlockedClients blocked = server.executor() == null ? null
                : server.executor().stateMachine().blockedClients();
        field(sb, "blocked_clients", blocked == null ? 0 : blocked.count());
        field(sb, "tracking_clients", 0);
        field(sb, "clients_in_timeout_table", blocked == null ? 0 : blocked.withTimeout());
    }

    /** Redis's bytesToHuman: 1023B, 1.00K, 1.00M, 1.00G... */
    static String human(long n) {
        String[] units = {"B", "K", "M", "G", "T", "P"};
        if (n < 1024) {
            return n + "B";
        }
        double d = n;
        int u = 0;
        while (d >= 1024 && u < units.length - 1) {
            d /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%s", d, units[u]);
    }

    private static void memory(ServerContext server, StringBuilder sb) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        long rss = rss(rt.totalMemory());
        long maxmemory = server.config().getLong("maxmemory");
        field(sb, "used_memory", used);
        field(sb, "used_memory_human", human(used));
        field(sb, "used_memory_rss", rss);
        field(sb, "used_memory_rss_human", human(rss));
        field(sb, "used_memory_peak", Math.max(used, rt.totalMemory()));
        field(sb, "used_memory_peak_human", human(Math.max(used, rt.totalMemory())));
        field(sb, "total_system_memory", totalSystemMemory());
        field(sb, "total_system_memory_human", human(totalSystemMemory()));
        field(sb, "maxmemory", maxmemory);
        field(sb, "maxmemory_human", human(maxmemory));
        field(sb, "maxmemory_policy", server.config().get("maxmemory-policy"));
        field(sb, "mem_fragmentation_ratio", String.format(Locale.ROOT, "%.2f", used == 0 ? 0.0 : (double) rss / used));
        field(sb, "mem_allocator", "jvm");
        field(sb, "lazyfree_pending_objects", 0);
        field(sb, "lazyfreed_objects", 0);
    }

    private static long rss(long fallback) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception ignored) {
            // not Linux: report the heap
        }
        return fallback;
    }

    private static long totalSystemMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    private static void persistence(ServerContext server, StringBuilder sb) {
        long startSec = server.startTimeMillis() / 1000;
        field(sb, "loading", 0);
        field(sb, "async_loading", 0);
        field(sb, "current_cow_peak", 0);
        field(sb, "current_cow_size", 0);
        field(sb, "current_fork_perc", "0.00");
        field(sb, "current_save_keys_processed", 0);
        field(sb, "current_save_keys_total", 0);
        field(sb, "rdb_changes_since_last_save", server.keyspace().dirty());
        io.redraft.cluster.SnapshotManager snaps = server.snapshots();
        field(sb, "rdb_bgsave_in_progress", snaps != null && snaps.inProgress() ? 1 : 0);
        field(sb, "rdb_last_save_time", server.lastSaveSeconds());
        field(sb, "rdb_last_bgsave_status", snaps == null || snaps.lastOk() ? "ok" : "err");
        field(sb, "rdb_last_bgsave_time_sec", snaps == null ? -1 : snaps.lastDurationSeconds());
        field(sb, "rdb_current_bgsave_time_sec", snaps == null ? -1 : snaps.currentSeconds());
        field(sb, "aof_enabled", server.config().getBool("appendonly") ? 1 : 0);
        field(sb, "aof_rewrite_in_progress", 0);
        field(sb, "aof_rewrite_scheduled", 0);
        field(sb, "aof_last_rewrite_time_sec", -1);
        field(sb, "aof_current_rewrite_time_sec", -1);
        field(sb, "aof_last_bgrewrite_status", "ok");
        field(sb, "aof_last_write_status", "ok");
        field(sb, "module_fork_in_progress", 0);
        field(sb, "module_fork_last_cow_size", 0);
    }

    private static void stats(ServerContext server, StringBuilder sb) {
        ServerStats st = server.stats();
        io.redraft.store.KeyspaceStats ks = server.keyspace().stats;
        field(sb, "total_connections_received", st.totalConnections.get());
        field(sb, "total_commands_processed", st.commandsProcessed);
        field(sb, "instantaneous_ops_per_sec", st.instantaneousOpsPerSec());
        field(sb, "total_net_input_bytes", st.netInputBytes.sum());
        field(sb, "total_net_output_bytes", st.netOutputBytes.sum());
        field(sb, "instantaneous_input_kbps", "0.00");
        field(sb, "instantaneous_output_kbps", "0.00");
        field(sb, "rejected_connections", st.rejectedConnections.get());
        field(sb, "sync_full", 0);
        field(sb, "sync_partial_ok", 0);
        field(sb, "sync_partial_err", 0);
        field(sb, "expired_keys", ks.expiredKeys);
        field(sb, "expired_stale_perc", "0.00");
        field(sb, "expired_time_cap_reached_count", 0);
        field(sb, "expire_cycle_cpu_milliseconds", 0);
        field(sb, "evicted_keys", ks.evictedKeys);
        field(sb, "evicted_clients", 0);
        field(sb, "total_eviction_exceeded_time", 0);
        field(sb, "current_eviction_exceeded_time", 0);
        field(sb, "keyspace_hits", ks.keyspaceHits);
        field(sb, "keyspace_misses", ks.keyspaceMisses);
        field(sb, "pubsub_channels", server.pubsub().nameCount(SubscriptionKind.CHANNEL));
        field(sb, "pubsub_patterns", server.pubsub().nameCount(SubscriptionKind.PATTERN));
        field(sb, "pubsubshard_channels", server.pubsub().nameCount(SubscriptionKind.SHARD));
        field(sb, "latest_fork_usec", 0);
        field(sb, "total_forks", 0);
        field(sb, "migrate_cached_sockets", 0);
        field(sb, "slave_expires_tracked_keys", 0);
        field(sb, "active_defrag_hits", 0);
        field(sb, "active_defrag_misses", 0);
        field(sb, "active_defrag_key_hits", 0);
        field(sb, "active_defrag_key_misses", 0);
        field(sb, "total_active_defrag_time", 0);
        field(sb, "current_active_defrag_time", 0);
        field(sb, "tracking_total_keys", 0);
        field(sb, "tracking_total_items", 0);
        field(sb, "tracking_total_prefixes", 0);
        field(sb, "unexpected_error_replies", 0);
        field(sb, "total_error_replies", st.totalErrorReplies);
        field(sb, "dump_payload_sanitizations", 0);
        field(sb, "total_reads_processed", 0);
        field(sb, "total_writes_processed", 0);
        field(sb, "io_threaded_reads_processed", 0);
        field(sb, "io_threaded_writes_processed", 0);
        field(sb, "reply_buffer_shrinks", 0);
        field(sb, "reply_buffer_expands", 0);
    }

    private static void replication(ServerContext server, StringBuilder sb) {
        field(sb, "role", "master");
        field(sb, "connected_slaves", 0);
        field(sb, "master_failover_state", "no-failover");
        field(sb, "master_replid", server.runId());
        field(sb, "master_replid2", "0000000000000000000000000000000000000000");
        field(sb, "master_repl_offset", 0);
        field(sb, "second_repl_offset", -1);
        field(sb, "repl_backlog_active", 0);
        field(sb, "repl_backlog_size", server.config().get("repl-backlog-size"));
        field(sb, "repl_backlog_first_byte_offset", 0);
        field(sb, "repl_backlog_histlen", 0);
    }

    private static void cpu(StringBuilder sb) {
        double[] userSys = cpuTimes();
        field(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", userSys[1]));
        field(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", userSys[0]));
        field(sb, "used_cpu_sys_children", "0.000000");
        field(sb, "used_cpu_user_children", "0.000000");
        field(sb, "used_cpu_sys_main_thread", "0.000000");
        field(sb, "used_cpu_user_main_thread", "0.000000");
    }

    /** Process user and system CPU seconds: from /proc/self/stat on Linux, else all as user time. */
    private static double[] cpuTimes() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command name: field 14 (utime) and 15 (stime) are at 11 and 12
            return new double[]{Long.parseLong(f[11]) / 100.0, Long.parseLong(f[12]) / 100.0};
        } catch (Exception e) {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return new double[]{os.getProcessCpuTime() / 1e9, 0};
            }
            return new double[]{0, 0};
        }
    }

    private static void commandstats(ServerContext server, StringBuilder sb) {
        List<CommandSpec> specs = new ArrayList<>();
        for (CommandSpec spec : server.table().all()) {
            specs.add(spec);
            specs.addAll(spec.subcommands().values());
        }
        for (CommandSpec spec : specs) {
            if (spec.calls == 0 && spec.failedCalls == 0 && spec.rejectedCalls == 0) {
                continue;
            }
            double perCall = spec.calls == 0 ? 0 : (double) spec.microseconds / spec.calls;
            sb.append("cmdstat_").append(spec.fullName()).append(":calls=").append(spec.calls)
                    .append(",usec=").append(spec.microseconds)
                    .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f", perCall))
                    .append(",rejected_calls=").append(spec.rejectedCalls)
                    .append(",failed_calls=").append(spec.failedCalls).append("\r\n");
        }
    }

    private static void errorstats(ServerContext server, StringBuilder sb) {
        for (Map.Entry<String, Long> e : server.stats().errorsByPrefix.entrySet()) {
            sb.append("errorstat_").append(e.getKey()).append(":count=").append(e.getValue()).append("\r\n");
        }
    }

    private static void keyspace(ServerContext server, StringBuilder sb) {
        Keyspace ks = server.keyspace();
        for (int i = 0; i < ks.databaseCount(); i++) {
            Database db = ks.db(i);
            if (db.size() > 0) {
                sb.append("db").append(i).append(":keys=").append(db.size()).append(",expires=")
                        .append(db.expiringCount()).append(",avg_ttl=0\r\n");
            }
        }
    }
}
