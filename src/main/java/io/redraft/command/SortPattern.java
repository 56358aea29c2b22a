package io.redraft.command;

import io.redraft.store.Database;
import io.redraft.store.HashValue;
import io.redraft.store.KeyEntry;

/**
 * A SORT BY / GET pattern, split once when the command is parsed so each element costs one key
 * build and one lookup. "#" stands for the element itself; otherwise the first '*' is replaced by
 * the element, and a non-empty "->field" after that '*' reads the field of a hash instead of a
 * string. A pattern without '*' is constant: BY treats it as "do not sort", GET never finds it.
 */
final class SortPattern {
    private final byte[] pattern;
    private final boolean self;
    private final int star;   // index of the first '*', -1 if none
    private final int keyEnd; // end of the key part (the "->" index when a field follows)
    private final byte[] field;

    SortPattern(byte[] pattern) {
        this.pattern = pattern;
        this.self = pattern.length == 1 && pattern[0] == '#';
        int s = -1;
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i] == '*') {
                s = i;
                break;
            }
        }
        this.star = s;
        int arrow = -1;
        if (s >= 0) {
            for (int i = s + 1; i + 1 < pattern.length; i++) {
                if (pattern[i] == '-' && pattern[i + 1] == '>') {
                    arrow = i;
                    break;
                }
            }
        }
        // "->" at the very end names no field, so it stays part of the key, as in Redis.
        boolean hasField = arrow >= 0 && arrow + 2 < pattern.length;
        this.keyEnd = hasField ? arrow : pattern.length;
        this.field = hasField ? java.util.Arrays.copyOfRange(pattern, arrow + 2, pattern.length) : null;
    }

    /** True when the pattern has no '*' ("#" included): as a BY pattern it means "do not sort". */
    boolean isConstant() {
        return star < 0;
    }

    /** The value the pattern names for element, or null (missing key, wrong type, no field). */
    byte[] resolve(Database db, long now, byte[] element) {
        if (self) {
            return element;
        }
        if (star < 0) {
            return null;
        }
        int suffix = keyEnd - star - 1;
        byte[] key = new byte[star + element.length + suffix];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, suffix);
        KeyEntry e = db.lookupRead(key, now);
        if (e == null) {
            return null;
        }
        Object v = e.value();
        if (field != null) {
            return v instanceof HashValue h ? h.get(field) : null;
        }
        return v instanceof byte[] b ? b : null;
    }
}
