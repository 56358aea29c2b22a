package io.redraft.cluster;

import io.redraft.command.CommandContext;
import io.redraft.command.CommandTable;
import io.redraft.server.ServerConfig;
import io.redraft.server.ServerContext;
import io.redraft.store.BlockedWaiters;
import io.redraft.store.Database;
import io.redraft.store.KeyEntry;
import io.redraft.store.Keyspace;
import io.redraft.store.rdb.DumpPayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Blocking state is replicated state: the same log (BLOCK, push and UNBLOCK entries) applied to
 * two fresh state machines, with no client attached, must give the same keys and the same
 * waiters, as every node of a cluster applies it.
 */
@Timeout(60)
class BlockingDeterminismTest {
    private static final String[] LISTS = {"l1", "l2", "l3"};
    private static final String[] ZSETS = {"z1", "z2"};

    /** One node's state machine, applying entries as the log delivers them. */
    private static final class Node {
        final ServerContext server = new ServerContext(new ServerConfig(), CommandTable.standard());
        final KeyspaceStateMachine sm = new KeyspaceStateMachine(server, new CommandContext(server),
                new CommandInvoker(server.stats()));
        long index;

        void apply(WriteEntry e) {
            sm.apply(++index, e, null);
        }

        BlockedWaiters waiters() {
            return server.keyspace().waiters();
        }

        /** Every key of every database with its value (as a DUMP payload), deadline and version. */
        String keyspace() {
            Keyspace ks = server.keyspace();
            TreeMap<String, String> all = new TreeMap<>();
            for (int i = 0; i < ks.databaseCount(); i++) {
                Database db = ks.db(i);
                int dbi = i;
                db.forEachEntry((KeyEntry e) -> all.put(dbi + ":" + new String(e.key(), StandardCharsets.ISO_8859_1),
                        dump(e.value()) + " exp=" + e.expireAt() + " v=" + e.version()));
            }
            return all.toString();
        }
    }

    private static String dump(Object value) {
        try {
            return HexFormat.of().formatHex(DumpPayload.dump(value));
        } catch (io.redraft.store.rdb.UnsupportedTypeException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[][] argv(String... a) {
        byte[][] out = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private static WriteEntry command(long ts, String... a) {
        return WriteEntry.command(0, ts, argv(a));
    }

    private static WriteEntry block(long ts, long client, String... a) {
        String[] all = new String[a.length + 2];
        all[0] = "run-of-another-node";
        all[1] = Long.toString(client);
        System.arraycopy(a, 0, all, 2, a.length);
        return new WriteEntry(WriteEntry.BLOCK, 0, ts, argv(all));
    }

    private static WriteEntry unblock(long ts, boolean error, long... ids) {
        List<Long> l = new ArrayList<>();
        for (long id : ids) {
            l.add(id);
        }
        return BlockingApply.unblockEntry(0, ts, error, l);
    }

    @Test
    void sameEntriesSameKeysAndWaiters() {
        for (long seed = 1; seed <= 8; seed++) {
            List<WriteEntry> log = script(seed, 1000);
            Node a = new Node();
            Node b = new Node();
            int blocked = 0;
            int served = 0;
            for (int i = 0; i < log.size(); i++) {
                int before = a.waiters().size();
                a.apply(log.get(i));
                b.apply(log.get(i));
                if (a.waiters().size() > before) {
                    blocked++;
                } else if (a.waiters().size() < before && log.get(i).kind() == WriteEntry.COMMAND) {
                    served++;
                }
                if (i % 100 == 0) {
                    assertEquals(a.waiters().describe(), b.waiters().describe(), "seed " + seed + " entry " + i);
                }
            }
            assertEquals(a.keyspace(), b.keyspace(), "seed " + seed);
            assertEquals(a.waiters().describe(), b.waiters().describe(), "seed " + seed);
            assertEquals(List.copyOf(a.waiters().all()), List.copyOf(b.waiters().all()), "seed " + seed);
            assertTrue(blocked > 50 && served > 50, "the script blocks and serves: " + blocked + ", " + served);
        }
    }

    /** A random log of blocking commands, pushes, deletes, renames and unblocks, time moving on. */
    private static List<WriteEntry> script(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        List<WriteEntry> out = new ArrayList<>();
        long ts = 1_700_000_000_000L;
        for (int i = 0; i < n; i++) {
            ts += r.nextInt(30);
            String l = LISTS[r.nextInt(LISTS.length)];
            String l2 = LISTS[r.nextInt(LISTS.length)];
            String z = ZSETS[r.nextInt(ZSETS.length)];
            String timeout = switch (r.nextInt(4)) {
                case 0 -> "0";
                case 1 -> "0.05";
                case 2 -> "0.5";
                default -> "2";
            };
            long client = r.nextInt(1000);
            WriteEntry e = switch (r.nextInt(16)) {
                case 0, 1 -> block(ts, client, "BLPOP", l, l2, timeout);
                case 2 -> block(ts, client, "BRPOP", l, timeout);
                case 3 -> block(ts, client, "BLMOVE", l, l2, r.nextBoolean() ? "LEFT" : "RIGHT", "LEFT", timeout);
                case 4 -> block(ts, client, "BLMPOP", timeout, "2", l, l2, "RIGHT", "COUNT", "2");
                case 5 -> block(ts, client, "BZPOPMIN", z, timeout);
                case 6 -> block(ts, client, "BZMPOP", timeout, "1", z, "MAX", "COUNT", "3");
                case 7, 8 -> command(ts, "RPUSH", l, "v" + i, "w" + i);
                case 9 -> command(ts, "LPUSH", l, "x" + i);
                case 10 -> command(ts, "ZADD", z, Integer.toString(r.nextInt(50)), "m" + r.nextInt(20));
                case 11 -> command(ts, "DEL", l);
                case 12 -> command(ts, "RENAME", l, l2);
                case 13 -> command(ts, "SET", l, "string"); // wrong type for the waiters on it
                case 14 -> unblock(ts, r.nextBoolean(), 1 + r.nextInt(i + 1), 1 + r.nextInt(i + 1));
                default -> command(ts, "LMOVE", l, l2, "LEFT", "RIGHT");
            };
            out.add(e);
        }
        return out;
    }

    @Test
    void waitersAreServedInOrderAndUnblockedOnce() {
        Node node = new Node();
        long ts = 1000;
        node.apply(block(ts, 1, "BLPOP", "q", "0"));            // index 1
        node.apply(block(ts, 2, "BLPOP", "other", "q", "0"));   // index 2
        node.apply(block(ts, 3, "BLPOP", "q", "0"));            // index 3
        assertEquals(List.of(1L, 2L, 3L), ids(node));
        node.apply(command(ts, "RPUSH", "q", "a", "b"));        // serves 1 and 2, in that order
        assertEquals(List.of(3L), ids(node));
        assertFalse(node.server.keyspace().db(0).size() > 0, "both elements were taken");
        node.apply(unblock(ts, false, 3));
        assertEquals(List.of(), ids(node));
        node.apply(unblock(ts, true, 3)); // already gone: nothing happens
        node.apply(command(ts, "RPUSH", "q", "c"));
        assertEquals(1, node.server.keyspace().db(0).size(), "nobody waits any more");
    }

    @Test
    void aWaiterPastItsDeadlineIsNotServed() {
        Node node = new Node();
        node.apply(block(1000, 1, "BLPOP", "q", "0.1"));        // deadline 1100
        node.apply(command(1200, "RPUSH", "q", "a"));
        assertEquals(List.of(1L), ids(node), "its UNBLOCK entry will end it");
        assertEquals(1, node.server.keyspace().db(0).size());
        node.apply(block(1000, 2, "BLPOP", "r", "0.1"));
        node.apply(command(1099, "RPUSH", "r", "a"));
        assertEquals(List.of(1L), ids(node), "within its deadline the waiter is served");
    }

    @Test
    void aBlockingCommandOfAPlainEntryDoesNotBlock() {
        // Inside MULTI (or any entry not proposed as BLOCK) a blocking command answers at once.
        Node node = new Node();
        node.apply(command(1000, "BLPOP", "q", "0"));
        assertEquals(List.of(), ids(node));
    }

    @Test
    void deadlinesComeFromTheEntryTimestamp() {
        Node node = new Node();
        node.apply(block(5000, 1, "BZPOPMIN", "z", "1.5"));
        node.apply(block(5000, 1, "BLPOP", "q", "0"));
        node.apply(block(5000, 1, "BLPOP", "q", "0.0001"));
        List<BlockedWaiters.Waiter> all = List.copyOf(node.waiters().all());
        assertEquals(6500, all.get(0).deadline());
        assertEquals(0, all.get(1).deadline());
        assertEquals(5001, all.get(2).deadline());
        assertEquals("run-of-another-node", all.get(0).ownerRun());
    }

    private static List<Long> ids(Node node) {
        List<Long> ids = new ArrayList<>();
        for (BlockedWaiters.Waiter w : node.waiters().all()) {
            ids.add(w.id());
        }
        return ids;
    }
}
