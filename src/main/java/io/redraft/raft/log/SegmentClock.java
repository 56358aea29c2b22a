package io.redraft.raft.log;

import net.openhft.chronicle.core.time.TimeProvider;

/**
 * Chronicle picks the cycle (file) of an append from the time. This clock tells it the "time" of
 * the segment we want, so one cycle is one log segment and a new segment starts exactly when the
 * journal asks for it (segment full, suffix truncation, restart) rather than at midnight.
 */
final class SegmentClock implements TimeProvider {
    private final long cycleLengthMillis;
    private volatile int cycle;

    SegmentClock(long cycleLengthMillis, int cycle) {
        this.cycleLengthMillis = cycleLengthMillis;
        this.cycle = cycle;
    }

    int cycle() {
        return cycle;
    }

    void setCycle(int cycle) {
        this.cycle = cycle;
    }

    @Override
    public long currentTimeMillis() {
        // The middle of the cycle, so no rounding can land in a neighbour.
        return cycle * cycleLengthMillis + cycleLengthMillis / 2;
    }

    @Override
    public long currentTimeMicros() {
        return currentTimeMillis() * 1000;
    }

    @Override
    public long currentTimeNanos() {
        return currentTimeMillis() * 1_000_000;
    }
}
