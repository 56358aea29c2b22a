package io.redraft.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.redraft.command.CommandContext;
import io.redraft.command.CommandTable;
import io.redraft.server.ClientSession;
import io.redraft.server.ServerConfig;
import io.redraft.server.ServerContext;
import io.redraft.server.TransactionState.WatchedKey;
import io.redraft.store.KeyEntry;
import io.redraft.store.Keyspace;
import io.redraft.store.rdb.DumpPayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The same log (plain writes, expiry deletions, flushes, swaps and transactions with WATCHed
 * keys) applied to fresh state machines must give the same replies and the same keyspace, keys'
 * versions included, whether or not a client waits on the node: that is what lets every Raft
 * node decide a WATCH the same way.
 */
@Timeout(120)
class TransactionDeterminismTest {
    private static final String[] KEYS = {"a", "b", "c", "d", "e"};

    @Test
    void transactionEntryRoundTrip() {
        TransactionEntry tx = new TransactionEntry(
                List.of(argv("SET", "k", "v"), argv("SELECT", "3"), argv("PING")),
                List.of(new WatchedKey(0, bytes("k"), 17, true), new WatchedKey(5, new byte[0], 0, false)));
        WriteEntry decoded = WriteEntry.decode(tx.toEntry(2, 1234L).encode());
        assertEquals(WriteEntry.TRANSACTION, decoded.kind());
        assertEquals(2, decoded.db());
        assertEquals(1234L, decoded.timestamp());
        TransactionEntry back = TransactionEntry.fromEntry(decoded);
        assertEquals(3, back.commands().size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(tx.commands().get(i), back.commands().get(i));
        }
        assertEquals(2, back.watched().size());
        for (int i = 0; i < 2; i++) {
            WatchedKey w = tx.watched().get(i);
            WatchedKey r = back.watched().get(i);
            assertEquals(List.of(w.db(), w.since(), w.live()), List.of(r.db(), r.since(), r.live()));
            assertArrayEquals(w.key(), r.key());
        }
    }

    @Test
    void sameEntriesSameRepliesSameKeyspace() {
        for (long seed = 1; seed <= 10; seed++) {
            List<WriteEntry> log = script(seed, 1500);
            Node withClient = new Node(true);
            Node follower = new Node(false);
            Node again = new Node(true);
            List<String> replies = withClient.applyAll(log);
            follower.applyAll(log);
            assertEquals(replies, again.applyAll(log), "seed " + seed);
            String state = withClient.dump();
            assertEquals(state, follower.dump(), "seed " + seed);
            assertEquals(state, again.dump(), "seed " + seed);
            long aborted = replies.stream().filter(r -> r.equals("*-1\r\n")).count();
            long ran = replies.stream().filter(r -> r.startsWith("*") && !r.equals("*-1\r\n")).count();
            assertTrue(aborted > 0 && ran > 0, "seed " + seed + " exercises both outcomes: " + aborted + "/" + ran);
        }
    }

    /** A random log: writes with deadlines, expiry entries, rare flushes/swaps, and transactions. */
    private static List<WriteEntry> script(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        List<WriteEntry> log = new ArrayList<>();
        long now = 1_700_000_000_000L;
        for (int i = 1; i <= n; i++) {
            now += r.nextInt(40);
            int db = r.nextInt(4) == 0 ? 1 : 0;
            int kind = r.nextInt(20);
            if (kind < 11) {
                log.add(WriteEntry.command(db, now, write(r)));
            } else if (kind < 14) {
                log.add(new WriteEntry(WriteEntry.EXPIRE, db, now, new byte[][]{bytes(key(r))}));
            } else if (kind == 14) {
                log.add(WriteEntry.command(db, now, r.nextBoolean() ? argv("FLUSHDB") : argv("SWAPDB", "0", "1")));
            } else {
                List<byte[][]> commands = new ArrayList<>();
                for (int c = r.nextInt(4); c >= 0; c--) {
                    int pick = r.nextInt(6);
                    commands.add(pick == 0 ? argv("SELECT", String.valueOf(r.nextInt(3)))
                            : pick == 1 ? argv("GET", key(r)) : write(r));
                }
                List<WatchedKey> watched = new ArrayList<>();
                for (int w = r.nextInt(3); w > 0; w--) {
                    long since = Math.max(0, i - 1 - r.nextInt(8)); // a WATCH shortly before EXEC
                    watched.add(new WatchedKey(r.nextInt(2), bytes(key(r)), since, r.nextBoolean()));
                }
                log.add(new TransactionEntry(commands, watched).toEntry(db, now));
            }
        }
        return log;
    }

    private static byte[][] write(SplittableRandom r) {
        String k = key(r);
        return switch (r.nextInt(6)) {
            case 0 -> argv("SET", k, "v" + r.nextInt(5), "PX", String.valueOf(20 + r.nextInt(200)));
            case 1 -> argv("SET", k, "v" + r.nextInt(5));
            case 2 -> argv("DEL", k);
            case 3 -> argv("INCR", k);
            case 4 -> argv("SADD", k, "m" + r.nextInt(4));
            default -> argv("PEXPIRE", k, String.valueOf(r.nextInt(100)));
        };
    }

    private static String key(SplittableRandom r) {
        return KEYS[r.nextInt(KEYS.length)];
    }

    /** One node's state machine; with a client, every entry's reply is captured. */
    private static final class Node {
        final ServerContext server = new ServerContext(new ServerConfig(), CommandTable.standard());
        final KeyspaceStateMachine machine = new KeyspaceStateMachine(server, new CommandContext(server),
                new CommandInvoker(server.stats()));
        final EmbeddedChannel channel = new EmbeddedChannel();
        final ClientSession session;

        Node(boolean withClient) {
            session = withClient ? new ClientSession(1, channel, 0) : null;
        }

        List<String> applyAll(List<WriteEntry> log) {
            List<String> replies = new ArrayList<>();
            long index = 0;
            for (WriteEntry e : log) {
                if (session != null) {
                    session.db(e.db());
                }
                machine.apply(++index, WriteEntry.decode(e.encode()), session);
                if (session != null) {
                    session.flush();
                    ByteBuf out = channel.readOutbound();
                    replies.add(out == null ? "" : out.toString(StandardCharsets.UTF_8));
                    if (out != null) {
                        out.release();
                    }
                }
            }
            return replies;
        }

        /** Every key of every database with its value, deadline and version. */
        String dump() {
            Keyspace ks = server.keyspace();
            StringBuilder sb = new StringBuilder();
            for (int db = 0; db < ks.databaseCount(); db++) {
                TreeMap<String, String> keys = new TreeMap<>();
                ks.db(db).forEachEntry(e -> keys.put(new String(e.key(), StandardCharsets.UTF_8), describe(e)));
                sb.append(db).append(keys).append('\n');
            }
            return sb.toString();
        }

        private static String describe(KeyEntry e) {
            try {
                return HexFormat.of().formatHex(DumpPayload.dump(e.value())) + " exp=" + e.expireAt() + " v=" + e.version();
            } catch (Exception ex) {
                throw new AssertionError(ex);
            }
        }
    }

    private static byte[][] argv(String... args) {
        return Arrays.stream(args).map(TransactionDeterminismTest::bytes).toArray(byte[][]::new);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
