package io.redraft.command;

import io.redraft.testing.ServerPerClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Pub/Sub on the wire: every expected frame here is the exact bytes redis-server 7.0.15 sent
 * for the same commands (subscription confirmations, message/pmessage/smessage, RESP2 vs RESP3,
 * the subscribed-mode errors, PUBSUB replies).
 */
@Timeout(60)
class PubSubWireTest extends ServerPerClass {
    private static final String REFUSED = "-ERR Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING"
            + " / QUIT / RESET are allowed in this context\r\n";

    private final List<RawResp> opened = new ArrayList<>();

    private RawResp connect() throws IOException {
        RawResp c = new RawResp(server.port());
        opened.add(c);
        return c;
    }

    private RawResp connectResp3() throws IOException {
        RawResp c = connect();
        assertTrue(c.call("HELLO", "3").startsWith("%7\r\n"));
        return c;
    }

    @BeforeEach
    @AfterEach
    void closeAll() throws IOException {
        for (RawResp c : opened) {
            c.close();
        }
        opened.clear();
    }

    /** Polls until no connection of this server subscribes to channel (closing is asynchronous). */
    private static void awaitNoSubscribers(RawResp probe, String channel) throws Exception {
        String none = "*2\r\n$" + channel.length() + "\r\n" + channel + "\r\n:0\r\n";
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!probe.call("PUBSUB", "NUMSUB", channel).equals(none)) {
            assertTrue(System.nanoTime() < deadline, "subscriber of " + channel + " never went away");
            Thread.onSpinWait();
        }
    }

    @Test
    void resp2SubscribeConfirmationsCountDistinctChannels() throws Exception {
        RawResp sub = connect();
        sub.send("SUBSCRIBE", "a", "b", "a");
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n", sub.read());
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n", sub.read());
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n", sub.read());
        sub.send("PSUBSCRIBE", "a*", "b?");
        assertEquals("*3\r\n$10\r\npsubscribe\r\n$2\r\na*\r\n:3\r\n", sub.read());
        assertEquals("*3\r\n$10\r\npsubscribe\r\n$2\r\nb?\r\n:4\r\n", sub.read());
        sub.send("UNSUBSCRIBE", "a");
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:3\r\n", sub.read());
        sub.send("PUNSUBSCRIBE");
        assertEquals("*3\r\n$12\r\npunsubscribe\r\n$2\r\na*\r\n:2\r\n", sub.read());
        assertEquals("*3\r\n$12\r\npunsubscribe\r\n$2\r\nb?\r\n:1\r\n", sub.read());
        sub.send("UNSUBSCRIBE");
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:0\r\n", sub.read());
        assertEquals("$-1\r\n", sub.call("GET", "x"), "no subscription left: out of subscribed mode");
    }

    @Test
    void unsubscribeWithoutSubscriptionsRepliesNullNameAndZero() throws Exception {
        RawResp c = connect();
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n", c.call("UNSUBSCRIBE"));
        assertEquals("*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n", c.call("PUNSUBSCRIBE"));
        assertEquals("*3\r\n$12\r\nsunsubscribe\r\n$-1\r\n:0\r\n", c.call("SUNSUBSCRIBE"));
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$4\r\nnope\r\n:0\r\n", c.call("UNSUBSCRIBE", "nope"));
        assertEquals("$-1\r\n", c.call("GET", "x"));
        RawResp r3 = connectResp3();
        assertEquals(">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n", r3.call("UNSUBSCRIBE"));
    }

    @Test
    void resp2SubscribedModeAllowsOnlySubscriptionCommandsPingQuitReset() throws Exception {
        RawResp sub = connect();
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n", sub.call("SUBSCRIBE", "a"));
        assertEquals(REFUSED.formatted("get"), sub.call("GET", "x"));
        assertEquals(REFUSED.formatted("publish"), sub.call("PUBLISH", "a", "x"));
        assertEquals(REFUSED.formatted("client|list"), sub.call("CLIENT", "LIST"));
        assertEquals("*2\r\n$4\r\npong\r\n$0\r\n\r\n", sub.call("PING"));
        assertEquals("*2\r\n$4\r\npong\r\n$2\r\nhi\r\n", sub.call("PING", "hi"));
        // Unknown commands and arity errors are found first, as in Redis.
        assertEquals("-ERR unknown command 'foo', with args beginning with: 'bar' \r\n", sub.call("foo", "bar"));
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", sub.call("GET"));
        assertEquals("-ERR wrong number of arguments for 'ping' command\r\n", sub.call("PING", "a", "b"));
        // A shard subscription alone keeps the connection in subscribed mode.
        assertEquals("*3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n", sub.call("SSUBSCRIBE", "s"));
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n", sub.call("UNSUBSCRIBE"));
        assertEquals(REFUSED.formatted("get"), sub.call("GET", "x"));
        assertEquals("*3\r\n$12\r\nsunsubscribe\r\n$1\r\ns\r\n:0\r\n", sub.call("SUNSUBSCRIBE"));
        assertEquals("$-1\r\n", sub.call("GET", "x"));
        // RESET leaves subscribed mode and forgets the subscriptions.
        sub.call("PSUBSCRIBE", "p*");
        assertEquals("+RESET\r\n", sub.call("RESET"));
        assertEquals("$-1\r\n", sub.call("GET", "x"));
        assertEquals(":0\r\n", sub.call("PUBSUB", "NUMPAT"));
        // QUIT is allowed.
        sub.call("SUBSCRIBE", "a");
        assertEquals("+OK\r\n", sub.call("QUIT"));
    }

    /** Writes pipelined after a SUBSCRIBE are refused, never submitted to the log; those before run. */
    @Test
    void pipelinedWritesAroundSubscribe() throws Exception {
        RawResp sub = connect();
        RawResp other = connect();
        sub.send("PUBLISH", "p", "before");
        sub.send("SUBSCRIBE", "p");
        sub.send("SET", "k", "v");
        sub.send("PUBLISH", "p", "after");
        assertEquals(":0\r\n", sub.read());
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$1\r\np\r\n:1\r\n", sub.read());
        assertEquals(REFUSED.formatted("set"), sub.read());
        assertEquals(REFUSED.formatted("publish"), sub.read());
        assertEquals("$-1\r\n", other.call("GET", "k"));
        assertEquals(":1\r\n", other.call("PUBLISH", "p", "only"));
        assertEquals("*3\r\n$7\r\nmessage\r\n$1\r\np\r\n$4\r\nonly\r\n", sub.read());
    }

    @Test
    void messageThenPatternMessageInRedisOrder() throws Exception {
        RawResp sub = connect();
        RawResp pub = connect();
        sub.call("SUBSCRIBE", "a");
        sub.call("PSUBSCRIBE", "a*");
        assertEquals(":2\r\n", pub.call("PUBLISH", "a", "hello"), "one connection, two receptions");
        assertEquals("*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$5\r\nhello\r\n", sub.read());
        assertEquals("*4\r\n$8\r\npmessage\r\n$2\r\na*\r\n$1\r\na\r\n$5\r\nhello\r\n", sub.read());
        assertEquals(":1\r\n", pub.call("PUBLISH", "ab", "hi"));
        assertEquals("*4\r\n$8\r\npmessage\r\n$2\r\na*\r\n$2\r\nab\r\n$2\r\nhi\r\n", sub.read());
        assertEquals(":0\r\n", pub.call("PUBLISH", "b", "nobody"));
        assertEquals("*2\r\n$4\r\npong\r\n$0\r\n\r\n", sub.call("PING"), "nothing was delivered for b");
    }

    @Test
    void shardChannelsHaveTheirOwnCountAndIgnorePatterns() throws Exception {
        RawResp sub = connect();
        RawResp pub = connect();
        sub.call("PSUBSCRIBE", "*");
        sub.send("SSUBSCRIBE", "s1", "s2");
        assertEquals("*3\r\n$10\r\nssubscribe\r\n$2\r\ns1\r\n:1\r\n", sub.read());
        assertEquals("*3\r\n$10\r\nssubscribe\r\n$2\r\ns2\r\n:2\r\n", sub.read());
        assertEquals(":1\r\n", pub.call("SPUBLISH", "s1", "m"));
        assertEquals("*3\r\n$8\r\nsmessage\r\n$2\r\ns1\r\n$1\r\nm\r\n", sub.read());
        assertEquals(":1\r\n", pub.call("PUBLISH", "s1", "p"), "PUBLISH reaches the pattern, not the shard channel");
        assertEquals("*4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$2\r\ns1\r\n$1\r\np\r\n", sub.read());
        assertEquals("*6\r\n$2\r\ns1\r\n:1\r\n$2\r\ns2\r\n:1\r\n$2\r\nzz\r\n:0\r\n",
                pub.call("PUBSUB", "SHARDNUMSUB", "s1", "s2", "zz"));
        assertEquals("*3\r\n$12\r\nsunsubscribe\r\n$2\r\ns1\r\n:1\r\n", sub.call("SUNSUBSCRIBE", "s1"));
    }

    @Test
    void resp3PushesArriveBesideOrdinaryReplies() throws Exception {
        RawResp sub = connectResp3();
        RawResp pub = connect();
        assertEquals(">3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n", sub.call("SUBSCRIBE", "c"));
        assertEquals("_\r\n", sub.call("GET", "x"), "RESP3 runs every command while subscribed");
        assertEquals("+PONG\r\n", sub.call("PING"));
        assertEquals(":1\r\n", pub.call("PUBLISH", "c", "m1"));
        assertEquals(">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$2\r\nm1\r\n", sub.read());
        assertEquals(">3\r\n$10\r\npsubscribe\r\n$2\r\nc*\r\n:2\r\n", sub.call("PSUBSCRIBE", "c*"));
        assertEquals(":2\r\n", pub.call("PUBLISH", "c", "m2"));
        assertEquals(">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$2\r\nm2\r\n", sub.read());
        assertEquals(">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$1\r\nc\r\n$2\r\nm2\r\n", sub.read());
        assertEquals(">3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n", sub.call("SSUBSCRIBE", "s"));
        assertEquals(":1\r\n", pub.call("SPUBLISH", "s", "m3"));
        assertEquals(">3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$2\r\nm3\r\n", sub.read());
        // Publishing to itself: the push comes before the PUBLISH reply.
        sub.send("PUBLISH", "c", "self");
        assertEquals(">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$4\r\nself\r\n", sub.read());
        assertEquals(">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$1\r\nc\r\n$4\r\nself\r\n", sub.read());
        assertEquals(":2\r\n", sub.read());
        // CLIENT REPLY OFF silences replies, not messages (as redis 7.0.15).
        sub.send("CLIENT", "REPLY", "OFF");
        assertEquals(":1\r\n", pub.call("SPUBLISH", "s", "quiet"));
        assertEquals(">3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$5\r\nquiet\r\n", sub.read());
        assertEquals("+OK\r\n", sub.call("CLIENT", "REPLY", "ON"));
        // HELLO 2 while subscribed: now a RESP2 client in subscribed mode.
        assertTrue(sub.call("HELLO", "2").startsWith("*14\r\n"));
        assertEquals(REFUSED.formatted("get"), sub.call("GET", "x"));
    }

    @Test
    void pubsubIntrospection() throws Exception {
        RawResp s1 = connect();
        RawResp s2 = connect();
        RawResp c = connect();
        s1.send("SUBSCRIBE", "news.a", "news.b", "other");
        for (int i = 0; i < 3; i++) {
            s1.read();
        }
        s2.call("SUBSCRIBE", "news.a");
        s1.call("PSUBSCRIBE", "news.*");
        s2.call("PSUBSCRIBE", "news.*");
        s2.call("SSUBSCRIBE", "shard.x");
        assertEquals("*3\r\n$6\r\nnews.a\r\n$6\r\nnews.b\r\n$5\r\nother\r\n", c.call("PUBSUB", "CHANNELS"));
        assertEquals("*2\r\n$6\r\nnews.a\r\n$6\r\nnews.b\r\n", c.call("PUBSUB", "CHANNELS", "news.*"));
        assertEquals("*0\r\n", c.call("PUBSUB", "CHANNELS", "NEWS.*"), "patterns are case-sensitive");
        assertEquals("*4\r\n$6\r\nnews.a\r\n:2\r\n$4\r\nnope\r\n:0\r\n", c.call("PUBSUB", "NUMSUB", "news.a", "nope"));
        assertEquals("*0\r\n", c.call("PUBSUB", "NUMSUB"));
        assertEquals(":1\r\n", c.call("PUBSUB", "NUMPAT"), "unique patterns, not subscriptions");
        assertEquals("*1\r\n$7\r\nshard.x\r\n", c.call("PUBSUB", "SHARDCHANNELS"));
        assertEquals("*0\r\n", c.call("PUBSUB", "SHARDCHANNELS", "news*"));
        String info = c.call("INFO", "stats");
        assertTrue(info.contains("pubsub_channels:3\r\n"), info);
        assertTrue(info.contains("pubsub_patterns:1\r\n"), info);
        assertTrue(info.contains("pubsubshard_channels:1\r\n"), info);
        String help = c.call("PUBSUB", "HELP");
        assertTrue(help.startsWith("*14\r\n+PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"), help);
        assertTrue(help.endsWith("+HELP\r\n+    Prints this help.\r\n"), help);
        assertEquals("-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.\r\n",
                c.call("PUBSUB", "CHANNELS", "a", "b"));
        assertEquals("-ERR wrong number of arguments for 'pubsub|numpat' command\r\n", c.call("PUBSUB", "NUMPAT", "x"));
        assertEquals("-ERR unknown subcommand 'foo'. Try PUBSUB HELP.\r\n", c.call("PUBSUB", "foo"));
        assertEquals("-ERR wrong number of arguments for 'pubsub' command\r\n", c.call("PUBSUB"));
        assertEquals("-ERR wrong number of arguments for 'publish' command\r\n", c.call("PUBLISH", "a"));
    }

    @Test
    void clientListShowsSubscriptionsAndPubsubType() throws Exception {
        RawResp sub = connectResp3();
        RawResp c = connect();
        sub.send("SUBSCRIBE", "a", "b");
        sub.read();
        sub.read();
        sub.call("PSUBSCRIBE", "x*");
        sub.call("SSUBSCRIBE", "s");
        String me = sub.call("CLIENT", "INFO");
        assertTrue(me.contains(" flags=P db=0 sub=2 psub=1 ssub=1 "), me);
        String pubsubOnly = c.call("CLIENT", "LIST", "TYPE", "pubsub");
        assertEquals(1, pubsubOnly.split("id=", -1).length - 1, pubsubOnly);
        assertTrue(pubsubOnly.contains(" sub=2 psub=1 ssub=1 "), pubsubOnly);
        String normal = c.call("CLIENT", "LIST", "TYPE", "normal");
        assertFalse(normal.contains("flags=P"), normal);
        assertTrue(normal.contains("cmd=client|list"), normal);
        assertEquals(":1\r\n", c.call("CLIENT", "KILL", "TYPE", "pubsub"));
        awaitNoSubscribers(c, "a");
        assertEquals(":0\r\n", c.call("PUBSUB", "NUMPAT"));
    }

    @Test
    void disconnectedSubscriberIsForgotten() throws Exception {
        RawResp sub = connect();
        RawResp pub = connect();
        sub.call("SUBSCRIBE", "gone");
        sub.call("PSUBSCRIBE", "go*");
        assertEquals(":2\r\n", pub.call("PUBLISH", "gone", "x"));
        sub.close();
        awaitNoSubscribers(pub, "gone");
        assertEquals(":0\r\n", pub.call("PUBSUB", "NUMPAT"));
        assertEquals(":0\r\n", pub.call("PUBLISH", "gone", "y"));
    }

    @Test
    void commandInfoKeepsRedisFlagsAlthoughPublishGoesThroughTheLog() throws Exception {
        RawResp c = connect();
        String publish = c.call("COMMAND", "INFO", "publish");
        assertTrue(publish.startsWith("*1\r\n*10\r\n$7\r\npublish\r\n:3\r\n*4\r\n+pubsub\r\n+loading\r\n+stale\r\n+fast\r\n"
                + ":0\r\n:0\r\n:0\r\n*2\r\n+@pubsub\r\n+@fast\r\n"), publish);
        String subscribe = c.call("COMMAND", "INFO", "subscribe");
        assertTrue(subscribe.startsWith("*1\r\n*10\r\n$9\r\nsubscribe\r\n:-2\r\n*4\r\n+pubsub\r\n+noscript\r\n"
                + "+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@pubsub\r\n+@slow\r\n"), subscribe);
        // Shard channels sit at key positions but are not keys (not_key key specs).
        assertEquals("-ERR The command has no key arguments\r\n", c.call("COMMAND", "GETKEYS", "SPUBLISH", "ch", "m"));
    }
}
