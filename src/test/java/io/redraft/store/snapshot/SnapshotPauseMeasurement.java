package io.redraft.store.snapshot;

import io.redraft.store.Database;
import io.redraft.store.EncodingLimits;
import io.redraft.store.HashValue;
import io.redraft.store.Keyspace;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints (asserts nothing) how long the keyspace thread is held by a snapshot of a large keyspace:
 * begin(), the longest single step() with a 1 ms budget, and, for comparison, the total time and
 * the time to load the file back. Run by hand:
 * {@code java -cp target/classes:target/test-classes:<deps> io.redraft.store.snapshot.SnapshotPauseMeasurement [keys]}.
 */
public final class SnapshotPauseMeasurement {
    private SnapshotPauseMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Keyspace ks = new Keyspace(16);
        Database db = ks.db(0);
        for (int i = 0; i < keys; i++) {
            byte[] key = ("key:" + i).getBytes(StandardCharsets.US_ASCII);
            if (i % 10 == 0) {
                HashValue h = new HashValue();
                for (int f = 0; f < 5; f++) {
                    h.put(("f" + f).getBytes(StandardCharsets.US_ASCII), ("value-" + i).getBytes(StandardCharsets.US_ASCII),
                            EncodingLimits.DEFAULTS);
                }
                db.put(key, h, false);
            } else {
                db.put(key, ("value-" + i + "-" + "x".repeat(i % 40)).getBytes(StandardCharsets.US_ASCII), false);
            }
        }
        Path dir = Files.createTempDirectory("snapshot-measure");
        Path file = dir.resolve("dump.rdb");
        for (int round = 0; round < 3; round++) { // the first rounds warm the JIT up
            java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            long c0 = cpu.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            KeyspaceSnapshotWriter w = KeyspaceSnapshotWriter.begin(ks, file, new SnapshotHeader(1, 1, null, 0));
            long begin = System.nanoTime() - t0;
            long beginCpu = cpu.getCurrentThreadCpuTime() - c0;
            long longest = 0;
            long longestCpu = 0;
            int over2ms = 0;
            int steps = 0;
            boolean done = false;
            while (!done) {
                long cs = cpu.getCurrentThreadCpuTime();
                long s = System.nanoTime();
                done = w.step(1_000_000);
                long wall = System.nanoTime() - s;
                longest = Math.max(longest, wall);
                longestCpu = Math.max(longestCpu, cpu.getCurrentThreadCpuTime() - cs);
                over2ms += wall > 2_000_000 ? 1 : 0;
                steps++;
            }
            long written = System.nanoTime();
            SnapshotResult r = w.finish();
            long finished = System.nanoTime();
            Keyspace loaded = new Keyspace(16);
            long l0 = System.nanoTime();
            long lc0 = cpu.getCurrentThreadCpuTime();
            KeyspaceSnapshotLoader.load(file, loaded);
            long load = System.nanoTime() - l0;
            long loadCpu = cpu.getCurrentThreadCpuTime() - lc0;
            // Wall times include preemption and GC on a loaded machine; thread CPU time is what
            // the step itself cost.
            System.out.printf("round %d: %d keys, %d bytes; begin %.3f ms wall (%.3f ms cpu); %d steps, "
                            + "longest step %.3f ms wall, %.3f ms cpu, %d steps over 2 ms wall; all steps %.0f ms; "
                            + "finish (fsync+rename) %.1f ms; load %.0f ms wall (%.0f ms cpu)%n",
                    round, r.keys(), r.bytes(), begin / 1e6, beginCpu / 1e6, steps, longest / 1e6, longestCpu / 1e6,
                    over2ms, (written - t0) / 1e6, (finished - written) / 1e6, load / 1e6, loadCpu / 1e6);
        }
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }
}
