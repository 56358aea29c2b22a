package io.redraft.resp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Encodes replies onto a Netty buffer in the connection's protocol (RESP2 or RESP3).
 *
 * <p>Commands speak in reply kinds (map, set, double, null…) and this class picks the wire
 * form, so the command layer never knows which protocol a client chose. It also remembers the
 * last error written, for INFO errorstats and commandstats.
 */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_BULK2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY2 = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SMALL_INTS = 1024;
    private static final byte[][] INT_REPLIES = new byte[SMALL_INTS][];

    static {
        for (int i = 0; i < SMALL_INTS; i++) {
            INT_REPLIES[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private ByteBuf buf;
    private int protocol = 2;
    private int errors;
    private String lastError;

    public RespWriter(ByteBuf buf) {
        this.buf = buf;
    }

    public ByteBuf buffer() {
        return buf;
    }

    /** Points the writer at another buffer (the keyspace thread reuses one writer). */
    public void buffer(ByteBuf buf) {
        this.buf = buf;
    }

    public int protocol() {
        return protocol;
    }

    public void protocol(int protocol) {
        this.protocol = protocol;
    }

    public boolean resp3() {
        return protocol >= 3;
    }

    /** Number of error replies written so far. */
    public int errors() {
        return errors;
    }

    public String lastError() {
        return lastError;
    }

    public void ok() {
        buf.writeBytes(OK);
    }

    /** A simple string (+...). */
    public void simple(String s) {
        buf.writeByte('+');
        buf.writeCharSequence(s, StandardCharsets.UTF_8);
        buf.writeBytes(CRLF);
    }

    /** An error reply; message includes its prefix, e.g. "ERR syntax error" or "WRONGTYPE ...". */
    public void error(String message) {
        errors++;
        lastError = message;
        buf.writeByte('-');
        // Redis replaces newlines so an error stays one protocol line.
        buf.writeCharSequence(message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0
                ? message.replace('\r', ' ').replace('\n', ' ') : message, StandardCharsets.UTF_8);
        buf.writeBytes(CRLF);
    }

    public void integer(long v) {
        if (v >= 0 && v < SMALL_INTS) {
            buf.writeBytes(INT_REPLIES[(int) v]);
            return;
        }
        buf.writeByte(':');
        writeDecimal(v);
        buf.writeBytes(CRLF);
    }

    public void bulk(byte[] b) {
        if (b == null) {
            nullBulk();
            return;
        }
        buf.writeByte('$');
        writeDecimal(b.length);
        buf.writeBytes(CRLF);
        buf.writeBytes(b);
        buf.writeBytes(CRLF);
    }

    public void bulk(byte[] b, int offset, int length) {
        buf.writeByte('$');
        writeDecimal(length);
        buf.writeBytes(CRLF);
        buf.writeBytes(b, offset, length);
        buf.writeBytes(CRLF);
    }

    public void bulk(String s) {
        bulk(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    /** A bulk string holding the decimal form of v (what GET returns for a counter). */
    public void bulkLong(long v) {
        bulk(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
    }

    /** Null bulk string: $-1 in RESP2, _ in RESP3. */
    public void nullBulk() {
        buf.writeBytes(protocol >= 3 ? NULL3 : NULL_BULK2);
    }

    /** Null array: *-1 in RESP2, _ in RESP3. */
    public void nullArray() {
        buf.writeBytes(protocol >= 3 ? NULL3 : NULL_ARRAY2);
    }

    public void arrayHeader(long n) {
        aggregate('*', n);
    }

    /** A map of n pairs: %n in RESP3, a flat array of 2n in RESP2. */
    public void mapHeader(long n) {
        if (protocol >= 3) {
            aggregate('%', n);
        } else {
            aggregate('*', 2 * n);
        }
    }

    /** A set of n elements: ~n in RESP3, an array in RESP2. */
    public void setHeader(long n) {
        aggregate(protocol >= 3 ? '~' : '*', n);
    }

    /** An out-of-band push of n elements: >n in RESP3, an array in RESP2 (pub/sub). */
    public void pushHeader(long n) {
        aggregate(protocol >= 3 ? '>' : '*', n);
    }

    private void aggregate(char type, long n) {
        buf.writeByte(type);
        writeDecimal(n);
        buf.writeBytes(CRLF);
    }

    /** A double: ,d in RESP3, a bulk string in RESP2 (Redis's %.17g form). */
    public void doubleValue(double d) {
        String s = RedisNumbers.formatDouble(d);
        if (protocol >= 3) {
            buf.writeByte(',');
            buf.writeCharSequence(s, StandardCharsets.US_ASCII);
            buf.writeBytes(CRLF);
        } else {
            bulk(s.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A boolean: #t/#f in RESP3, :1/:0 in RESP2. */
    public void bool(boolean b) {
        if (protocol >= 3) {
            buf.writeCharSequence(b ? "#t\r\n" : "#f\r\n", StandardCharsets.US_ASCII);
        } else {
            integer(b ? 1 : 0);
        }
    }

    /** Verbatim text (INFO, CLIENT LIST…): =len\r\ntxt:... in RESP3, a bulk string in RESP2. */
    public void verbatim(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (protocol >= 3) {
            buf.writeByte('=');
            writeDecimal(b.length + 4);
            buf.writeBytes(CRLF);
            buf.writeCharSequence("txt:", StandardCharsets.US_ASCII);
            buf.writeBytes(b);
            buf.writeBytes(CRLF);
        } else {
            bulk(b);
        }
    }

    /** Bytes already in RESP form (a reply relayed from another node, a cached reply). */
    public void raw(byte[] resp) {
        buf.writeBytes(resp);
    }

    private void writeDecimal(long v) {
        if (v >= 0 && v < 10) {
            buf.writeByte('0' + (int) v);
            return;
        }
        buf.writeCharSequence(Long.toString(v), StandardCharsets.US_ASCII);
    }
}
