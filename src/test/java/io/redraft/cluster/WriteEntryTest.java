package io.redraft.cluster;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteEntryTest {
    private static byte[][] argv(String... a) {
        byte[][] out = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    @Test
    void aBatchDecodesToItsPartsInOrder() {
        WriteEntry set = WriteEntry.command(3, 1000, argv("SET", "k", "v"));
        WriteEntry expire = new WriteEntry(WriteEntry.EXPIRE, 0, 1001, argv("gone"));
        WriteEntry empty = WriteEntry.command(0, 1002, argv("SET", "e", ""));
        byte[] data = WriteEntry.batch(List.of(set.encode(), expire.encode(), empty.encode()));

        List<WriteEntry> parts = WriteEntry.decodeParts(data);

        assertEquals(3, parts.size());
        assertSame(set, parts.get(0));
        assertSame(expire, parts.get(1));
        assertSame(empty, parts.get(2));
    }

    @Test
    void anEntryThatIsNoBatchIsItsOnlyPart() {
        WriteEntry set = WriteEntry.command(0, 7, argv("SET", "k", "v"));
        List<WriteEntry> parts = WriteEntry.decodeParts(set.encode());
        assertEquals(1, parts.size());
        assertSame(set, parts.get(0));
    }

    @Test
    void onlyCommandsAndExpiriesShareAnEntry() {
        assertTrue(WriteEntry.batchable(WriteEntry.command(0, 1, argv("SET", "k", "v")).encode()));
        assertTrue(WriteEntry.batchable(new WriteEntry(WriteEntry.EXPIRE, 0, 1, argv("k")).encode()));
        assertFalse(WriteEntry.batchable(new WriteEntry(WriteEntry.TRANSACTION, 0, 1, argv("x")).encode()));
        assertFalse(WriteEntry.batchable(new WriteEntry(WriteEntry.BLOCK, 0, 1, argv("x")).encode()));
        assertFalse(WriteEntry.batchable(new WriteEntry(WriteEntry.UNBLOCK, 0, 1, argv("x")).encode()));
    }

    private static void assertSame(WriteEntry want, WriteEntry got) {
        assertEquals(want.kind(), got.kind());
        assertEquals(want.db(), got.db());
        assertEquals(want.timestamp(), got.timestamp());
        assertEquals(want.argv().length, got.argv().length);
        for (int i = 0; i < want.argv().length; i++) {
            assertArrayEquals(want.argv()[i], got.argv()[i]);
        }
    }
}
