package io.redraft.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Decodes client requests straight into argument vectors ({@code byte[][]}): RESP multibulk
 * requests and inline commands, with any split of the bytes across reads.
 *
 * <p>State is kept between calls (the argument vector being filled and the length of the bulk
 * being awaited), so a large request arriving in many reads is parsed once, not re-scanned.
 * Malformed input yields one {@link ProtocolError} with Redis's text and the decoder then
 * discards everything else the connection sends.
 */
public final class RespDecoder extends ByteToMessageDecoder {
    private final Supplier<RespLimits> limits;
    private final BooleanSupplier unauthenticated;

    private byte[][] argv;      // the multibulk request being filled, or null between requests
    private int argCount;       // the number of arguments it announced (argv grows toward it)
    private int argIndex;
    private long argBytes;      // bytes of the arguments read so far (count toward the query buffer limit)
    private long bulkLength = -1; // length of the bulk being awaited, -1 when a "$" header is next
    private boolean failed;

    public RespDecoder(Supplier<RespLimits> limits) {
        this(limits, () -> false);
    }

    /**
     * @param unauthenticated true while the client must still AUTH: Redis then accepts only
     *                        small requests, so an anonymous peer cannot make it allocate much
     */
    public RespDecoder(Supplier<RespLimits> limits, BooleanSupplier unauthenticated) {
        this.limits = limits;
        this.unauthenticated = unauthenticated;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        RespLimits lim = limits.get();
        while (in.isReadable()) {
            if (argv == null) {
                if (in.getByte(in.readerIndex()) == '*') {
                    if (!readMultibulkHeader(in, out)) {
                        break;
                    }
                } else if (!readInline(in, out)) {
                    break;
                }
            }
            if (argv != null && !readArguments(in, lim, out)) {
                break;
            }
            if (failed) {
                break;
            }
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() + argBytes > lim.queryBufferLimit()) {
            // Redis closes the client silently when its query buffer passes the limit.
            fail(out, null);
            in.skipBytes(in.readableBytes());
        }
    }

    /** Reads "*N\r\n". Returns false when more bytes are needed or the request failed. */
    private boolean readMultibulkHeader(ByteBuf in, List<Object> out) {
        int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (eol < 0) {
            if (in.readableBytes() > RespLimits.MAX_INLINE) {
                fail(out, "too big mbulk count string");
            }
            return false;
        }
        long n = parseLong(in, in.readerIndex() + 1, lineEnd(in, eol));
        in.readerIndex(eol + 1);
        if (n == Long.MIN_VALUE || n > RespLimits.MAX_MULTIBULK) {
            fail(out, "invalid multibulk length");
            return false;
        }
        if (n > RespLimits.MAX_UNAUTHENTICATED_MULTIBULK && unauthenticated.getAsBoolean()) {
            fail(out, "unauthenticated multibulk length");
            return false;
        }
        if (n <= 0) {
            return true; // Redis ignores empty and null multibulk requests
        }
        // The array grows as arguments arrive: a header alone ("*1048576") must not cost megabytes.
        argCount = (int) n;
        argv = new byte[Math.min(argCount, 16)][];
        argIndex = 0;
        argBytes = 0;
        bulkLength = -1;
        return true;
    }

    /** Fills argv from "$len\r\nbytes\r\n" items. Returns false when more bytes are needed or it failed. */
    private boolean readArguments(ByteBuf in, RespLimits lim, List<Object> out) {
        while (argIndex < argCount) {
            if (bulkLength < 0) {
                if (!in.isReadable()) {
                    return false;
                }
                int start = in.readerIndex();
                byte first = in.getByte(start);
                int eol = in.indexOf(start, in.writerIndex(), (byte) '\n');
                if (eol < 0) {
                    if (in.readableBytes() > RespLimits.MAX_INLINE) {
                        fail(out, "too big bulk count string");
                    }
                    return false;
                }
                if (first != '$') {
                    fail(out, "expected '$', got '" + (char) (first & 0xff) + "'");
                    return false;
                }
                long len = parseLong(in, start + 1, lineEnd(in, eol));
                in.readerIndex(eol + 1);
                if (len < 0 || len > lim.protoMaxBulkLen() || len > Integer.MAX_VALUE - 8) {
                    fail(out, "invalid bulk length");
                    return false;
                }
                if (len > RespLimits.MAX_UNAUTHENTICATED_BULK && unauthenticated.getAsBoolean()) {
                    fail(out, "unauthenticated bulk length");
                    return false;
                }
                bulkLength = len;
            }
            if (in.readableBytes() < bulkLength + 2) {
                return false;
            }
            byte[] arg = new byte[(int) bulkLength];
            in.readBytes(arg);
            in.skipBytes(2); // CRLF (Redis does not check these two bytes either)
            if (argIndex == argv.length) {
                argv = Arrays.copyOf(argv, (int) Math.min(argCount, 2L * argv.length));
            }
            argv[argIndex++] = arg;
            argBytes += arg.length;
            bulkLength = -1;
        }
        out.add(argv);
        argv = null;
        argBytes = 0;
        return true;
    }

    /** Reads one inline command line. Returns false when more bytes are needed or it failed. */
    private boolean readInline(ByteBuf in, List<Object> out) {
        int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (eol < 0) {
            if (in.readableBytes() > RespLimits.MAX_INLINE) {
                fail(out, "too big inline request");
            }
            return false;
        }
        if (eol - in.readerIndex() > RespLimits.MAX_INLINE) {
            fail(out, "too big inline request");
            return false;
        }
        byte[] line = new byte[lineEnd(in, eol) - in.readerIndex()];
        in.getBytes(in.readerIndex(), line);
        in.readerIndex(eol + 1);
        List<byte[]> args = InlineParser.split(line);
        if (args == null) {
            fail(out, "unbalanced quotes in request");
            return false;
        }
        if (!args.isEmpty()) {
            out.add(args.toArray(new byte[0][]));
        }
        return true;
    }

    private void fail(List<Object> out, String message) {
        failed = true;
        argv = null;
        argBytes = 0;
        out.add(message == null ? CLOSE_SILENTLY : new ProtocolError(message));
    }

    /** A marker asking the handler to close without a reply (query buffer limit). */
    public static final Object CLOSE_SILENTLY = new Object();

    /** Index of the end of the line that ends at eol ('\n'), excluding a preceding '\r'. */
    private static int lineEnd(ByteBuf in, int eol) {
        return eol > in.readerIndex() && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
    }

    /**
     * Parses a decimal integer in [from, to) as strictly as Redis's string2ll: no sign but a
     * leading '-', no leading zeros, no "-0", no overflow. Long.MIN_VALUE if malformed.
     */
    static long parseLong(ByteBuf in, int from, int to) {
        if (from >= to || to - from > 20) {
            return Long.MIN_VALUE;
        }
        if (to - from == 1 && in.getByte(from) == '0') {
            return 0;
        }
        boolean negative = in.getByte(from) == '-';
        int i = negative ? from + 1 : from;
        if (i >= to || in.getByte(i) == '0') {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9 || v > (Long.MAX_VALUE - d) / 10) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    /** Splits inline command lines the way Redis's sdssplitargs does. */
    static final class InlineParser {
        private InlineParser() {
        }

        /** The arguments of line, or null when its quotes are unbalanced. */
        static List<byte[]> split(byte[] line) {
            List<byte[]> args = new ArrayList<>();
            int i = 0;
            int n = line.length;
            java.io.ByteArrayOutputStream cur = new java.io.ByteArrayOutputStream();
            while (true) {
                while (i < n && isSpace(line[i])) {
                    i++;
                }
                if (i >= n) {
                    return args;
                }
                boolean inDouble = false;
                boolean inSingle = false;
                boolean done = false;
                cur.reset();
                while (!done) {
                    if (inDouble) {
                        if (i >= n) {
                            return null;
                        }
                        byte c = line[i];
                        if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
                            cur.write(hex(line[i + 2]) * 16 + hex(line[i + 3]));
                            i += 3;
                        } else if (c == '\\' && i + 1 < n) {
                            i++;
                            cur.write(unescape(line[i]));
                        } else if (c == '"') {
                            if (i + 1 < n && !isSpace(line[i + 1])) {
                                return null; // closing quote must be followed by a space
                            }
                            done = true;
                        } else {
                            cur.write(c);
                        }
                    } else if (inSingle) {
                        if (i >= n) {
                            return null;
                        }
                        byte c = line[i];
                        if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
                            i++;
                            cur.write('\'');
                        } else if (c == '\'') {
                            if (i + 1 < n && !isSpace(line[i + 1])) {
                                return null;
                            }
                            done = true;
                        } else {
                            cur.write(c);
                        }
                    } else {
                        if (i >= n) {
                            done = true;
                            break;
                        }
                        byte c = line[i];
                        if (isSpace(c)) {
                            done = true;
                        } else if (c == '"') {
                            inDouble = true;
                        } else if (c == '\'') {
                            inSingle = true;
                        } else {
                            cur.write(c);
                        }
                    }
                    if (i < n) {
                        i++;
                    }
                }
                args.add(cur.toByteArray());
            }
        }

        private static boolean isSpace(byte c) {
            return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0x0b || c == '\f';
        }

        private static boolean isHex(byte c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }

        private static int hex(byte c) {
            return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
        }

        private static int unescape(byte c) {
            switch (c) {
                case 'n': return '\n';
                case 'r': return '\r';
                case 't': return '\t';
                case 'b': return '\b';
                case 'a': return 7;
                default: return c;
            }
        }
    }
}
