package io.redraft.raft.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Helpers for journal tests: recognisable payloads and byte surgery on cycle files. */
final class JournalTestSupport {
    private JournalTestSupport() {
    }

    /** A payload that can be found in a .cq4 file: "rec-<index>-<term>-" padded to a size. */
    static byte[] payload(long index, long term, int size) {
        String head = marker(index, term);
        StringBuilder sb = new StringBuilder(head);
        while (sb.length() < size) sb.append((char) ('a' + sb.length() % 26));
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static String marker(long index, long term) {
        return String.format("rec-%08d-%04d-", index, term);
    }

    static LogRecord rec(long index, long term) {
        return new LogRecord(index, term, (byte) 1, payload(index, term, 40));
    }

    static List<LogRecord> recs(long from, long to, long term) {
        List<LogRecord> out = new ArrayList<>();
        for (long i = from; i <= to; i++) out.add(rec(i, term));
        return out;
    }

    /** The cycle file containing the marker of (index, term), and the marker's offset in it. */
    static Located locate(Path dir, long index, long term) throws IOException {
        byte[] needle = marker(index, term).getBytes(StandardCharsets.US_ASCII);
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".cq4")).sorted().toList()) {
                byte[] all = Files.readAllBytes(p);
                int at = indexOf(all, needle);
                if (at >= 0) return new Located(p, at);
            }
        }
        throw new AssertionError("record " + index + " not found in " + dir);
    }

    record Located(Path file, int offset) {
    }

    /** Flips one byte at {@code offset} of {@code file} in place. */
    static void flip(Path file, long offset) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            var b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5a));
            b.rewind();
            ch.write(b, offset);
        }
    }

    /** Overwrites {@code len} bytes from {@code offset} with zeros (a write that never reached disk). */
    static void zero(Path file, long offset, int len) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(len), offset);
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
