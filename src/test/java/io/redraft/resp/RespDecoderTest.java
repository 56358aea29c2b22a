package io.redraft.resp;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RespDecoder alone, on an EmbeddedChannel: framing, inline syntax, splits, malformed input. */
@Timeout(60)
class RespDecoderTest {

    private static EmbeddedChannel channel(RespLimits limits) {
        return new EmbeddedChannel(new RespDecoder(() -> limits));
    }

    /** Feeds the chunks and renders what the decoder emitted: commands as [a, b], errors as their reply. */
    private static List<String> decode(RespLimits limits, byte[]... chunks) {
        EmbeddedChannel ch = channel(limits);
        for (byte[] c : chunks) {
            ch.writeInbound(Unpooled.wrappedBuffer(c));
        }
        List<String> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add(render(o));
        }
        ch.finishAndReleaseAll();
        return out;
    }

    private static List<String> decode(String... chunks) {
        byte[][] b = new byte[chunks.length][];
        for (int i = 0; i < chunks.length; i++) {
            b[i] = bytes(chunks[i]);
        }
        return decode(RespLimits.DEFAULTS, b);
    }

    private static String render(Object o) {
        if (o instanceof byte[][] argv) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < argv.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(new String(argv[i], StandardCharsets.ISO_8859_1));
            }
            return sb.append(']').toString();
        }
        if (o instanceof ProtocolError pe) {
            return "-" + pe.reply();
        }
        assertSame(RespDecoder.CLOSE_SILENTLY, o);
        return "CLOSE";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void multibulk() {
        assertEquals(List.of("[SET, k, v]", "[GET, k]"),
                decode("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"));
        assertEquals(List.of("[SET, k, ]"), decode("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n"));
    }

    @Test
    void binarySafeBulkArguments() {
        EmbeddedChannel ch = channel(RespLimits.DEFAULTS);
        byte[] value = {'a', '\r', '\n', 0, (byte) 0xff, '*', '$', '\r', '\n'};
        byte[] head = bytes("*2\r\n$4\r\nECHO\r\n$" + value.length + "\r\n");
        ch.writeInbound(Unpooled.wrappedBuffer(head, value, bytes("\r\n")));
        byte[][] argv = ch.readInbound();
        assertTrue(Arrays.equals(value, argv[1]));
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void inlineCommands() {
        assertEquals(List.of("[PING]"), decode("PING\r\n"));
        assertEquals(List.of("[PING]"), decode("PING\n"));
        assertEquals(List.of("[SET, a, b c]"), decode("SET a \"b c\"\r\n"));
        assertEquals(List.of("[SET, a, x]"), decode("SET a 'x'\r\n"));
        assertEquals(List.of("[SET, a, it's]"), decode("SET a 'it\\'s'\r\n"));
        assertEquals(List.of("[SET, a, A\nB\tC\"]"), decode("SET a \"\\x41\\nB\\tC\\\"\"\r\n"));
        assertEquals(List.of("[SET, a, ]"), decode("SET a \"\"\r\n"));
        assertEquals(List.of("[SET, k, v]"), decode("  SET   k \t v  \r\n"));
    }

    @Test
    void unbalancedQuotes() {
        String err = "-ERR Protocol error: unbalanced quotes in request";
        assertEquals(List.of(err), decode("SET a \"b\r\n"));
        assertEquals(List.of(err), decode("SET a 'b\r\n"));
        // a closing quote must be followed by a space (sdssplitargs)
        assertEquals(List.of(err), decode("SET a \"b\"c\r\n"));
        // after an error, everything else the connection sends is discarded
        assertEquals(List.of("[PING]", err), decode("PING\r\nGET \"x\r\nPING\r\n"));
    }

    @Test
    void emptyLinesAndEmptyMultibulksAreIgnored() {
        assertEquals(List.of("[PING]"), decode("\r\n\n   \r\n*0\r\n*-1\r\n*-10\r\nPING\r\n"));
    }

    @Test
    void everySplitOfSeveralRequests() {
        String stream = "*3\r\n$3\r\nSET\r\n$4\r\nk\r\nx\r\n$2\r\nv1\r\n"
                + "PING\r\n"
                + "\r\n*0\r\n"
                + "SET a \"b c\"\n"
                + "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"
                + "*1\r\n$4\r\nPING\r\n";
        List<String> expected = List.of("[SET, k\r\nx, v1]", "[PING]", "[SET, a, b c]", "[ECHO, ]", "[PING]");
        assertEquals(expected, decode(stream));
        byte[] all = bytes(stream);
        // every split in two
        for (int i = 1; i < all.length; i++) {
            assertEquals(expected, decode(RespLimits.DEFAULTS, Arrays.copyOfRange(all, 0, i),
                    Arrays.copyOfRange(all, i, all.length)), "split at " + i);
        }
        // every split in three
        for (int i = 1; i < all.length; i++) {
            for (int j = i + 1; j < all.length; j++) {
                assertEquals(expected, decode(RespLimits.DEFAULTS, Arrays.copyOfRange(all, 0, i),
                        Arrays.copyOfRange(all, i, j), Arrays.copyOfRange(all, j, all.length)), "split at " + i + "," + j);
            }
        }
        // byte by byte
        byte[][] single = new byte[all.length][];
        for (int i = 0; i < all.length; i++) {
            single[i] = new byte[]{all[i]};
        }
        assertEquals(expected, decode(RespLimits.DEFAULTS, single));
    }

    @Test
    void malformedFramesGiveRedisErrors() {
        assertEquals(List.of("-ERR Protocol error: invalid multibulk length"), decode("*abc\r\n"));
        assertEquals(List.of("-ERR Protocol error: invalid multibulk length"), decode("*1048577\r\n"));
        assertEquals(List.of("-ERR Protocol error: invalid multibulk length"), decode("*20000000\r\n"));
        assertEquals(List.of("-ERR Protocol error: expected '$', got 'x'"), decode("*1\r\nx\r\n"));
        assertEquals(List.of("-ERR Protocol error: expected '$', got 'f'"),
                decode("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n"));
        assertEquals(List.of("-ERR Protocol error: invalid bulk length"), decode("*1\r\n$-5\r\n"));
        assertEquals(List.of("-ERR Protocol error: invalid bulk length"), decode("*1\r\n$abc\r\n"));
        assertEquals(List.of("-ERR Protocol error: invalid bulk length"),
                decode(new RespLimits(1024 * 1024, RespLimits.DEFAULTS.queryBufferLimit()),
                        bytes("*1\r\n$2000000\r\n")));
        assertEquals(List.of("-ERR Protocol error: too big inline request"), decode("a".repeat(70_000)));
        assertEquals(List.of("-ERR Protocol error: too big mbulk count string"), decode("*" + "1".repeat(70_000)));
        assertEquals(List.of("-ERR Protocol error: too big bulk count string"), decode("*1\r\n$" + "1".repeat(70_000)));
        // the limit allows a long line below it
        assertEquals(List.of("[GET, " + "k".repeat(60_000) + "]"), decode("GET " + "k".repeat(60_000) + "\r\n"));
    }

    @Test
    void commandsBeforeAnErrorAreDeliveredAndNothingAfter() {
        assertEquals(List.of("[PING]", "[GET, k]", "-ERR Protocol error: invalid multibulk length"),
                decode("PING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*x\r\n*1\r\n$4\r\nPING\r\n", "PING\r\n"));
    }

    @Test
    void queryBufferLimitClosesSilently() {
        RespLimits small = new RespLimits(4 * 1024 * 1024, 1024 * 1024);
        byte[] body = new byte[1024 * 1024 + 10];
        assertEquals(List.of("CLOSE"), decode(small, bytes("*2\r\n$3\r\nSET\r\n$2000000\r\n"), body));
    }

    @Test
    void numbersAreParsedAsStrictlyAsRedis() {
        String mb = "-ERR Protocol error: invalid multibulk length";
        String bulk = "-ERR Protocol error: invalid bulk length";
        assertEquals(List.of(mb), decode("*01\r\n"));
        assertEquals(List.of(mb), decode("*+1\r\n"));
        assertEquals(List.of(mb), decode("*\r\n"));
        // would wrap to a negative count (and be ignored) without an overflow check
        assertEquals(List.of(mb), decode("*99999999999999999999\r\n"));
        assertEquals(List.of(mb), decode("*18446744073709551615\r\n"));
        assertEquals(List.of(bulk), decode("*1\r\n$-0\r\n"));
        assertEquals(List.of(bulk), decode("*1\r\n$01\r\n"));
        assertEquals(List.of(bulk), decode("*1\r\n$\r\n"));
        assertEquals(List.of("[]"), decode("*1\r\n$0\r\n\r\n"));
    }

    @Test
    void unauthenticatedClientsGetSmallLimits() {
        assertEquals(List.of("-ERR Protocol error: unauthenticated multibulk length"), decodeUnauthenticated("*11\r\n"));
        assertEquals(List.of("-ERR Protocol error: unauthenticated bulk length"),
                decodeUnauthenticated("*1\r\n$16385\r\n"));
        // the absolute limits are checked first, as in Redis
        assertEquals(List.of("-ERR Protocol error: invalid multibulk length"), decodeUnauthenticated("*2000000\r\n"));
        String ten = "*10\r\n" + "$16384\r\n" + "a".repeat(16384) + "\r\n" + "$1\r\nb\r\n".repeat(9);
        assertEquals(1, decodeUnauthenticated(ten).size());
        assertTrue(decodeUnauthenticated(ten).get(0).startsWith("[aaa"));
    }

    private static List<String> decodeUnauthenticated(String s) {
        EmbeddedChannel ch = new EmbeddedChannel(new RespDecoder(() -> RespLimits.DEFAULTS, () -> true));
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(s)));
        List<String> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add(render(o));
        }
        ch.finishAndReleaseAll();
        return out;
    }

    @Test
    void manyArgumentsAreCollected() {
        StringBuilder sb = new StringBuilder("*1000\r\n");
        StringBuilder expected = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            sb.append('$').append(String.valueOf(i).length()).append("\r\n").append(i).append("\r\n");
            expected.append(i == 0 ? "" : ", ").append(i);
        }
        assertEquals(List.of(expected.append(']').toString()), decode(sb.toString()));
    }

    @Test
    void argumentsAlreadyReadCountTowardTheQueryBufferLimit() {
        RespLimits small = new RespLimits(4 * 1024 * 1024, 1024 * 1024);
        StringBuilder sb = new StringBuilder("*100\r\n");
        String arg = "x".repeat(20_000);
        for (int i = 0; i < 60; i++) { // 1.2 MB of complete arguments, request still unfinished
            sb.append("$20000\r\n").append(arg).append("\r\n");
        }
        assertEquals(List.of("CLOSE"), decode(small, bytes(sb.toString())));
    }
}
