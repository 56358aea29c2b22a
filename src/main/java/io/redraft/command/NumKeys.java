package io.redraft.command;

/** The "numkeys key..." argument convention (SINTERCARD, ZUNION, LMPOP…): parsing and key positions. */
final class NumKeys {
    private NumKeys() {
    }

    /**
     * Parses "numkeys key..." at argv[idx] with SINTERCARD's checks and texts. Returns numkeys.
     */
    static int parse(byte[][] argv, int idx) {
        // Redis gives this one text for a non-number too (getRangeLongFromObjectOrReply with msg).
        Long v = io.redraft.resp.RedisNumbers.parseLong(argv[idx]);
        if (v == null || v < 1) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        if (v > argv.length - idx - 1) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        return (int) (long) v;
    }

    /**
     * Key positions of commands with "[dest] numkeys key...": the optional destination at
     * numkeysIdx-1 when withDest, then numkeys keys. A malformed numkeys yields what is valid.
     */
    static CommandSpec.KeyFinder finder(int numkeysIdx, boolean withDest) {
        return argv -> {
            if (argv.length <= numkeysIdx) {
                return new int[0];
            }
            Long v = io.redraft.resp.RedisNumbers.parseLong(argv[numkeysIdx]);
            int n = v == null || v < 0 ? 0 : (int) Math.min(v, argv.length - numkeysIdx - 1);
            int off = withDest ? 1 : 0;
            int[] keys = new int[n + off];
            if (withDest) {
                keys[0] = numkeysIdx - 1;
            }
            for (int i = 0; i < n; i++) {
                keys[off + i] = numkeysIdx + 1 + i;
            }
            return keys;
        };
    }

    /**
     * The optional trailing "COUNT count" of LMPOP and ZMPOP (and their blocking forms), read
     * from argv[from] on; 1 when absent.
     */
    static long mpopCount(byte[][] argv, int from) {
        long count = -1;
        for (int j = from; j < argv.length; j++) {
            if (count == -1 && Args.is(argv[j], "count") && j + 1 < argv.length) {
                Long c = io.redraft.resp.RedisNumbers.parseLong(argv[++j]);
                if (c == null || c < 1) {
                    throw new CommandError("ERR count should be greater than 0");
                }
                count = c;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        return count == -1 ? 1 : count;
    }
}
