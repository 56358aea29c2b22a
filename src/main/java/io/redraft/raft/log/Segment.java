package io.redraft.raft.log;

/**
 * One live segment: the Chronicle cycle that holds Raft indexes {@code firstIndex..lastIndex}
 * (its record at sequence s has index {@code firstIndex + s}). Records of the cycle beyond
 * {@code lastIndex} are dead: cut by a later segment (suffix truncation) or a torn tail.
 */
final class Segment {
    final int cycle;
    final long firstIndex;
    long lastIndex;
    /** Bytes appended by this process, to decide when to roll; 0 for segments found on open. */
    long bytes;

    Segment(int cycle, long firstIndex, long lastIndex) {
        this.cycle = cycle;
        this.firstIndex = firstIndex;
        this.lastIndex = lastIndex;
    }

    long count() {
        return lastIndex - firstIndex + 1;
    }

    @Override
    public String toString() {
        return "Segment{cycle=" + cycle + ", " + firstIndex + ".." + lastIndex + "}";
    }
}
