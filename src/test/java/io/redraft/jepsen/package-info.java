/**
 * Jepsen-style fault testing of real Redraft processes (issue #8).
 *
 * <h2>What a run does</h2>
 * {@link io.redraft.jepsen.JepsenRun}: a fresh 3- or 5-node {@link io.redraft.jepsen.JepsenCluster} (each
 * node its own JVM, {@code raft-tick-ms 50}, {@code raft-request-timeout 2000}, and
 * {@code raft-snapshot-threshold 400}, so that snapshots and log compaction happen every few
 * seconds); six {@link io.redraft.jepsen.Client}s send the {@link io.redraft.jepsen.Workload}
 * through random nodes and record every operation in a {@link io.redraft.jepsen.History} as OK
 * (with its reply), FAIL (CLUSTERDOWN / TRYAGAIN / LOADING / EXECABORT: certainly not applied) or
 * INFO (TIMEOUT reply, lost connection, socket timeout: maybe applied). Meanwhile the
 * {@link io.redraft.jepsen.Nemesis} injects one fault at a time on a seeded schedule, the leader
 * favoured as victim:
 * <ul>
 * <li>KILL: kill -9, restart on the same data;</li>
 * <li>PAUSE: SIGSTOP/SIGCONT longer than the election timeout;</li>
 * <li>TRANSFER: RAFT.TRANSFER-LEADER;</li>
 * <li>PARTITION, through a {@link io.redraft.jepsen.PeerProxy} on every peer link: a node isolated,
 *     a node that talks but hears nobody, a bridge (two sides that only talk through one node),
 *     and with 5 nodes a minority of two from the majority and Jepsen's majorities ring;</li>
 * <li>MEMBERSHIP: RAFT.NODE REMOVE of a node (the leader too), kill -9, its data directory wiped,
 *     a new start with {@code raft-join} (announcing its proxy's port with {@code raft-announce-port});
 *     it joins as a learner, catches up (by snapshot once the log was compacted) and is promoted;</li>
 * <li>SNAPSHOT: BGSAVE on a node, and half of the time kill -9 and restart right after it, so that
 *     the node loads that snapshot and replays the log's tail.</li>
 * </ul>
 * Then the faults heal, clients go on for 3 s, every key is read once more, and:
 * <ul>
 * <li>{@link io.redraft.jepsen.RegisterChecker}: each register key's history (GET, SET, SET k v GET)
 *     is linearizable (Wing–Gong search with memoization; INFO writes may have happened);</li>
 * <li>{@link io.redraft.jepsen.ListAppendChecker}: list-append as Jepsen's, MULTI/EXEC transactions of
 *     RPUSH and LRANGE over several keys (and some single RPUSH/LRANGE): no acknowledged append lost,
 *     duplicated or at another index than its reply said, no failed or never-written value ever
 *     read, every read a prefix of the final list, no stale read in real time, transactions atomic
 *     (no partial application, no intermediate read) and serializable (no cycle);</li>
 * <li>{@link io.redraft.jepsen.Convergence}: every node holds the same keys and values (digest).</li>
 * </ul>
 * A run with anomalies saves history, schedule, anomalies and node logs in {@code target/jepsen/SEED/}
 * and prints the seed.
 *
 * <h2>Commands</h2>
 * <pre>
 * mvn -o test -Dtest=JepsenTest                                             # CI: 5 runs x 30 s, 3 nodes
 * mvn -o test -Dtest=JepsenTest -Djepsen.seed=1000 -Djepsen.runs=100 -Djepsen.seconds=30   # soak
 * mvn -o test -Dtest=JepsenTest -Djepsen.seed=1234                          # replay one seed
 * mvn -o test -Dtest=JepsenTest -Djepsen.nodes=5 -Djepsen.seed=5000 -Djepsen.runs=10  # 5 nodes
 * -Djepsen.faults=KILL,PAUSE,TRANSFER,PARTITION,MEMBERSHIP,SNAPSHOT  -Djepsen.clients=6
 * -Djepsen.snapshotThreshold=400  -Djepsen.serverArgs="--raft-fsync no"
 * </pre>
 * A seed fixes the fault choices (kind, victim, durations) and the clients' operations, not the
 * timing, so a replay is the same schedule, not the same interleaving.
 */
package io.redraft.jepsen;
