package io.redraft.raft.log;

import java.util.Locale;

/**
 * {@code raft-fsync}: when an appended entry counts as persisted.
 * ALWAYS: only once synced (group commit: one sync covers everything appended meanwhile).
 * EVERYSEC: at once; a background thread syncs about once a second (a crash may lose ~1 s).
 * NO: at once; the OS writes back when it likes (close() still syncs).
 */
public enum FsyncPolicy {
    ALWAYS, EVERYSEC, NO;

    /** Parses the config spelling: always, everysec, no (case-insensitive). */
    public static FsyncPolicy parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "always" -> ALWAYS;
            case "everysec" -> EVERYSEC;
            case "no" -> NO;
            default -> throw new IllegalArgumentException("raft-fsync must be always, everysec or no: " + s);
        };
    }
}
