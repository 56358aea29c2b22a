package io.redraft.store.rdb;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DUMP payloads captured from a real redis-server 7.0.15 (SET key value, then DUMP key), with
 * the value each one holds. Redraft must restore each to its value and dump each value to
 * exactly these bytes.
 */
public final class RedisPayloads {
    private RedisPayloads() {
    }

    /** value -> payload hex, in a stable order. */
    public static Map<byte[], String> all() {
        Map<byte[], String> m = new LinkedHashMap<>();
        m.put(s("12"), "00c00c0a003c2af8515c04bcd5");                       // INT8
        m.put(s("-5"), "00c0fb0a0049c4c6f4d7263f68");                       // INT8, negative
        m.put(s("1000"), "00c1e8030a0089d1478ebac4b764");                   // INT16
        m.put(s("100000"), "00c2a08601000a00f12403506f2fa674");             // INT32
        m.put(s("2147483647"), "00c2ffffff7f0a002c74e59ee02eada1");         // INT32 max
        m.put(s("-2147483648"), "00c2000000800a00c74f873e33558187");        // INT32 min
        m.put(s("2147483648"), "000a323134373438333634380a00e7b129a34c1d76ee"); // past 32 bits: digits
        m.put(s("12345678901"), "000b31323334353637383930310a00304e52d727176510");
        m.put(s("-0"), "00022d300a00d5411fd9d6d050cc");                     // not canonical: a string
        m.put(s("+1"), "00022b310a00c286f0d7439aee6f");
        m.put(s("012"), "00033031320a008f5463e9547eeb0c");
        m.put(s("hello"), "000568656c6c6f0a006372df766534200a");
        m.put(s(""), "00000a005d9b5c400f7fa2da");
        m.put(s("a".repeat(21)), "00c30615016161e00a000a00fd0cb36807413f68"); // shortest LZF
        m.put(s("a".repeat(25)), "00c30919016161e00c000161610a00d08d67009b1b83b3");
        m.put(s("abcdefghij".repeat(20)),
                "00c31240c80a6162636465666768696a61e0b20901696a0a007a9b7c8ecbd1e20e");
        m.put(s("redraft-".repeat(100)),
                "00c316432008726564726166742d72e0ff07e1ff07e1fc0701742d0a00fed3fa4b7c6b3762");
        m.put(s("a".repeat(300) + "b".repeat(300)),
                "00c3144258016161e0ff00e019000062e0ff00e018000162620a003a92d1c4d4f74e9a");
        m.put(s("ieqh524yng5by1a2rogubbb8ayn1b7o259owoo3sb09glshv616mts56zc4pz0lx9xf26gk7zx5b4ctzkk6oam89oz6ww3r9ay6i"),
                "00406469657168353234796e67356279316132726f67756262623861796e3162376f3235396f776f6f3373623039676c7368"
                        + "763631366d747335367a6334707a306c783978663236676b377a7835623463747a6b6b366f616d38396f7a3677773372"
                        + "39617936690a00bf73a4f8cc49eab8"); // incompressible: 14-bit length, verbatim
        byte[] binary = new byte[512];
        for (int i = 0; i < 512; i++) {
            binary[i] = (byte) i;
        }
        m.put(binary, "00c3411042001f000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f1f2021222324"
                + "25262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f1f404142434445464748494a4b4c4d4e4f505152535455"
                + "565758595a5b5c5d5e5f1f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f1f808182838485"
                + "868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f1fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6"
                + "b7b8b9babbbcbdbebf1fc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf1fe0e1e2e3e4e5e6"
                + "e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff0000e0f4ff01feff0a00084dd41d67e5d330");
        m.put(s(sequence()), SEQUENCE_PAYLOAD);
        return m;
    }

    /** "redraft-0,redraft-1,...,redraft-119," — many short matches at varying offsets. */
    public static String sequence() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            b.append("redraft-").append(i).append(',');
        }
        return b.toString();
    }

    private static final String SEQUENCE_PAYLOAD = "00c3425445320a726564726166742d302c72a0090031e000090032e000090033e0"
            + "00090034e000090035e000090036e000090037e000090038e000090039e000090031e00264e001650031e001660031e00167"
            + "0031e001680031e001690031e0016a0031e0016b0031e0016c0031e0016d0032e0016d0032e0016d0032e0016d0032e0016d"
            + "0032e0016d0032e0016d0032e0016d0032e0016d0032e0016d0032e0016d0033e0016d0033e0016d0033e0016d0033e0016d"
            + "0033e0016d0033e0016d0033e0016d0033e0016d0033e0016d0033e0016d0034e0016d0034e0016d0034e0016d0034e0016d"
            + "0034e0016d0034e0016d0034e0016d0034e0016d0034e0016d0034e0016d0035e0016d0035e0016d0035e0016d0035e0016d"
            + "0035e0016d0035e0016d0035e0016d0035e0016d0035e0016d0035e0016d0036e0016d0036e0016d0036e0016d0036e0016d"
            + "0036e0016d0036e0016d0036e0016d0036e0016d0036e0016d0036e0016d0037e0016d0037e0016d0037e0016d0037e0016d"
            + "0037e0016d0037e0016d0037e0016d0037e0016d0037e0016d0037e0016d0038e0016d0038e0016d0038e0016d0038e0016d"
            + "0038e0016d0038e0016d0038e0016d0038e0016d0038e0016d0038e0016d0039e0016d0039e0016d0039e0016d0039e0016d"
            + "0039e0016d0039e0016d0039e0016d0039e0016d0039e0016d0039e0016d013130e0016e013130e0016f013130e001700131"
            + "30e00171013130e00172013130e00173013130e00174013130e00175013130e00176013130e00277e40456e00277e40358e4"
            + "0359e4035ae4035be4035ce4035de4035e245f0a009c558233d9104ae9";

    public static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static byte[] s(String v) {
        return v.getBytes(StandardCharsets.UTF_8);
    }
}
