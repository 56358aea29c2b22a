package io.redraft.jepsen;

import java.util.Random;

/**
 * What the clients do: half register operations (GET, SET, SET k v GET) on a few registers at a
 * time, each retired after a bounded number of operations so that every key's history stays
 * small enough for the linearizability search (Jepsen's "independent keys"); half list-append
 * operations (RPUSH of a unique value, LRANGE 0 -1) on a few lists.
 */
final class Workload {
    /** An operation to run: f on key with value (null for reads). */
    record Invocation(Op.F f, String key, String value) { }

    private final String[] registers;
    private final int[] uses;
    private final int opsPerRegister;
    private final int lists;
    private int nextRegister;

    Workload(int activeRegisters, int opsPerRegister, int lists) {
        this.registers = new String[activeRegisters];
        this.uses = new int[activeRegisters];
        this.opsPerRegister = opsPerRegister;
        this.lists = lists;
        for (int i = 0; i < activeRegisters; i++) {
            registers[i] = "r" + nextRegister++;
        }
    }

    /** The next operation of client {@code process}; {@code value} is unique across the run. */
    Invocation next(Random random, int process, long seq) {
        String value = process + "-" + seq;
        if (random.nextBoolean()) {
            String key = register(random.nextInt(registers.length));
            int r = random.nextInt(10);
            return r < 5 ? new Invocation(Op.F.READ, key, null)
                    : r < 8 ? new Invocation(Op.F.WRITE, key, value)
                    : new Invocation(Op.F.SWAP, key, value);
        }
        String key = "l" + random.nextInt(lists);
        return random.nextInt(10) < 6 ? new Invocation(Op.F.APPEND, key, value) : new Invocation(Op.F.READ_LIST, key, null);
    }

    private synchronized String register(int slot) {
        if (++uses[slot] > opsPerRegister) {
            registers[slot] = "r" + nextRegister++;
            uses[slot] = 1;
        }
        return registers[slot];
    }

    int lists() {
        return lists;
    }
}
