package io.redraft.jepsen;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What the clients do: half register operations (GET, SET, SET k v GET) on a few registers at a
 * time, half list-append operations, Jepsen's: mostly MULTI/EXEC transactions of one to four
 * micro-operations (RPUSH of a unique value, LRANGE 0 -1) over a few lists, some single RPUSH or
 * LRANGE commands. Registers and lists are retired after a bounded number of operations (Jepsen's
 * "independent keys"): each register's history stays small enough for the linearizability
 * search, each list short enough to read whole.
 */
final class Workload {
    /** An operation to run: f on key with value (null for reads); a TXN's micro-operations in {@code micro}. */
    record Invocation(Op.F f, String key, String value, List<Op.Micro> micro) {
        Invocation(Op.F f, String key, String value) {
            this(f, key, value, null);
        }
    }

    private static final int MAX_TXN_LENGTH = 4;

    private final Keys registers;
    private final Keys lists;

    Workload(int activeRegisters, int opsPerRegister, int activeLists, int opsPerList) {
        this.registers = new Keys("r", activeRegisters, opsPerRegister);
        this.lists = new Keys("l", activeLists, opsPerList);
    }

    /** The next operation of client {@code process}; the values it appends or writes are unique across the run. */
    Invocation next(Random random, int process, long seq) {
        String value = process + "-" + seq;
        if (random.nextBoolean()) {
            String key = registers.pick(random);
            int r = random.nextInt(10);
            return r < 5 ? new Invocation(Op.F.READ, key, null)
                    : r < 8 ? new Invocation(Op.F.WRITE, key, value)
                    : new Invocation(Op.F.SWAP, key, value);
        }
        if (random.nextInt(4) == 0) {
            String key = lists.pick(random);
            return random.nextInt(10) < 6 ? new Invocation(Op.F.APPEND, key, value) : new Invocation(Op.F.READ_LIST, key, null);
        }
        int length = 1 + random.nextInt(MAX_TXN_LENGTH);
        List<Op.Micro> micro = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            String key = lists.pick(random);
            micro.add(random.nextBoolean() ? new Op.Micro(Op.F.APPEND, key, value + "." + i, null)
                    : new Op.Micro(Op.F.READ_LIST, key, null, null));
        }
        return new Invocation(Op.F.TXN, null, null, micro);
    }

    /** A few active keys of one kind, each replaced by a fresh one after {@code uses} operations. */
    private static final class Keys {
        private final String prefix;
        private final String[] active;
        private final int[] used;
        private final int uses;
        private int next;

        Keys(String prefix, int count, int uses) {
            this.prefix = prefix;
            this.active = new String[count];
            this.used = new int[count];
            this.uses = uses;
            for (int i = 0; i < count; i++) {
                active[i] = prefix + next++;
            }
        }

        synchronized String pick(Random random) {
            int slot = random.nextInt(active.length);
            if (++used[slot] > uses) {
                active[slot] = prefix + next++;
                used[slot] = 1;
            }
            return active[slot];
        }
    }
}
