/**
 * Jepsen-style fault testing of real Redraft processes (issue #8).
 *
 * <h2>What a run does</h2>
 * {@link io.redraft.jepsen.JepsenRun}: a fresh 3-node {@link io.redraft.jepsen.JepsenCluster} (each
 * node its own JVM, {@code raft-tick-ms 50}, {@code raft-request-timeout 2000}); six
 * {@link io.redraft.jepsen.Client}s send the {@link io.redraft.jepsen.Workload} through random nodes
 * and record every operation in a {@link io.redraft.jepsen.History} as OK (with its reply), FAIL
 * (CLUSTERDOWN / TRYAGAIN / LOADING: certainly not applied) or INFO (TIMEOUT reply, lost connection,
 * socket timeout: maybe applied). Meanwhile the {@link io.redraft.jepsen.Nemesis} injects one fault
 * at a time on a seeded schedule: kill -9 and restart, SIGSTOP/SIGCONT longer than the election
 * timeout, leadership transfer, and partitions (a node isolated, or one that talks but hears
 * nobody) through a {@link io.redraft.jepsen.PeerProxy} on every peer link. Then the faults heal,
 * clients go on for 3 s, every key is read once more, and:
 * <ul>
 * <li>{@link io.redraft.jepsen.RegisterChecker}: each register key's history (GET, SET, SET k v GET)
 *     is linearizable (Wing–Gong search with memoization; INFO writes may have happened);</li>
 * <li>{@link io.redraft.jepsen.ListAppendChecker}: no acknowledged RPUSH lost or duplicated or at
 *     another index than its reply said, no failed or never-written value ever read, every read a
 *     prefix of the final list and not stale in real time;</li>
 * <li>{@link io.redraft.jepsen.Convergence}: every node holds the same keys and values (digest).</li>
 * </ul>
 * A run with anomalies saves history, schedule, anomalies and node logs in {@code target/jepsen/SEED/}
 * and prints the seed. Transactions are not used yet (MULTI/EXEC is not on main): list appends and
 * reads are single commands.
 *
 * <h2>Commands</h2>
 * <pre>
 * mvn -o test -Dtest=JepsenTest                                             # CI: 3 runs x 20 s
 * mvn -o test -Dtest=JepsenTest -Djepsen.seed=1000 -Djepsen.runs=100 -Djepsen.seconds=30   # soak
 * mvn -o test -Dtest=JepsenTest -Djepsen.seed=1234                          # replay one seed
 * -Djepsen.faults=KILL,PAUSE,TRANSFER,PARTITION  -Djepsen.clients=6  -Djepsen.serverArgs="--raft-fsync no"
 * </pre>
 * A seed fixes the fault choices (kind, victim, durations) and the clients' operations, not the
 * timing, so a replay is the same schedule, not the same interleaving.
 */
package io.redraft.jepsen;
