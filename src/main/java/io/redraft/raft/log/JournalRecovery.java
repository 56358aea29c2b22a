package io.redraft.raft.log;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Rebuilds the live log on open by reading every record of every cycle file and checking its
 * CRC, never trusting Chronicle's index or header pages (not synced). Rules:
 * <ul>
 *   <li>A segment's first record names its first index; record s must carry first + s.</li>
 *   <li>A later segment whose first index is f ends every earlier segment at f - 1 (how suffix
 *       truncation is expressed on an append-only queue).</li>
 *   <li>A bad record that is still live (not cut off by a later segment) is a torn tail if it lies
 *       above the synced watermark: it and everything after it is dropped. At or below the
 *       watermark it was acknowledged as durable, so it is a {@link CorruptLogException}.</li>
 *   <li>The watermark itself must be covered: synced records that went missing are corruption.</li>
 * </ul>
 */
final class JournalRecovery {

    /** One cycle file as read from disk. */
    private static final class Scanned {
        final int cycle;
        final Path file;
        long first = -1;
        long last = -1;
        /** Index of the first bad record, or -1 when the cycle ended cleanly. */
        long badIndex = -1;
        boolean badFirstRecord;
        String badDetail;
        final TermRuns terms = new TermRuns();

        Scanned(int cycle, Path file) {
            this.cycle = cycle;
            this.file = file;
        }
    }

    /** The outcome: live segments ascending, the terms of their records, the last index. */
    record Result(List<Segment> segments, TermRuns terms, long lastIndex) {
    }

    private final Path dir;
    private final RollCycle rollCycle;
    private final RecordCodec codec;

    JournalRecovery(Path dir, RollCycle rollCycle, RecordCodec codec) {
        this.dir = dir;
        this.rollCycle = rollCycle;
        this.codec = codec;
    }

    Result recover(ExcerptTailer tailer, SortedSet<Integer> cycles, JournalFloor floor, long watermark) {
        List<Scanned> live = new ArrayList<>();
        Scanned unreadable = null;
        for (int cycle : cycles) {
            Scanned s = scan(tailer, cycle, floor.prevIndex() + 1);
            if (s.first < 0) {
                // Not even the first record is readable, so we cannot tell what it would have cut.
                if (s.badFirstRecord && unreadable == null) unreadable = s;
                continue;
            }
            if (unreadable != null) {
                throw new CorruptLogException(unreadable.file, 0,
                        "first record unreadable (" + unreadable.badDetail + ") but later segments hold records");
            }
            while (!live.isEmpty() && live.get(live.size() - 1).first >= s.first) live.remove(live.size() - 1);
            if (!live.isEmpty()) {
                Scanned prev = live.get(live.size() - 1);
                prev.last = Math.min(prev.last, s.first - 1);
            }
            live.add(s);
        }

        List<Segment> segments = new ArrayList<>();
        TermRuns terms = new TermRuns();
        long expected = floor.prevIndex() + 1;
        for (int k = 0; k < live.size(); k++) {
            Scanned s = live.get(k);
            if (s.last < expected) continue; // wholly below the compaction floor
            if (s.first > expected) {
                if (expected <= watermark) {
                    throw new CorruptLogException(s.file, expected, "synced records missing before index " + s.first);
                }
                break; // an unsynced gap: everything from here on is a lost tail
            }
            segments.add(new Segment(s.cycle, s.first, s.last));
            copyTerms(s.terms, terms, Math.max(expected, s.first), s.last);
            expected = s.last + 1;
            boolean badIsLive = s.badIndex > 0 && (k == live.size() - 1 || live.get(k + 1).first > s.badIndex);
            if (badIsLive) {
                if (s.badIndex <= watermark) {
                    throw new CorruptLogException(s.file, s.badIndex, s.badDetail + " (synced up to " + watermark + ")");
                }
                break; // torn tail: drop it and every later segment
            }
        }
        long lastIndex = expected - 1;
        if (watermark > lastIndex) {
            Path file = segments.isEmpty() ? dir : CycleFiles.path(dir, segments.get(segments.size() - 1).cycle);
            throw new CorruptLogException(file, lastIndex + 1,
                    "records up to " + watermark + " were synced but the log ends at " + lastIndex);
        }
        return new Result(segments, terms, lastIndex);
    }

    /** The record at queue index qi without consuming it, or null if absent or damaged. */
    private LogRecord peek(ExcerptTailer tailer, long qi) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent() || dc.index() != qi) {
                if (dc.isPresent()) dc.rollbackOnClose();
                return null;
            }
            Bytes<?> b = dc.wire().bytes();
            long len = b.readRemaining();
            if (len > Integer.MAX_VALUE - 64) return null;
            b.read(codec.bufferFor((int) len), 0, (int) len);
            dc.rollbackOnClose();
            return codec.decode((int) len);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void copyTerms(TermRuns from, TermRuns to, long lo, long hi) {
        for (int r = 0; r < from.runs(); r++) {
            long start = from.runStart(r);
            if (start > hi) break;
            long runEnd = r + 1 < from.runs() ? from.runStart(r + 1) - 1 : Long.MAX_VALUE;
            if (runEnd < lo) continue;
            to.append(Math.max(start, lo), from.runTerm(r));
        }
    }

    /**
     * Reads one cycle file. Records below the compaction floor are dead: after reading the first
     * record (which names the segment's first index) the scan jumps to the floor through
     * Chronicle's index, which is trustworthy there because compaction only passes synced
     * records (and a sync forces the whole file, index pages included); if the jump fails or
     * lands on the wrong record, it reads the file from the start as before.
     */
    private Scanned scan(ExcerptTailer tailer, int cycle, long floorIndex) {
        Scanned s = scan(tailer, cycle, floorIndex, true);
        return s != null ? s : scan(tailer, cycle, floorIndex, false);
    }

    /** One pass; null if the jump to the floor failed (the caller then reads everything). */
    private Scanned scan(ExcerptTailer tailer, int cycle, long floorIndex, boolean jump) {
        Scanned s = new Scanned(cycle, CycleFiles.path(dir, cycle));
        if (!tailer.moveToCycle(cycle)) return s;
        long seq = 0;
        boolean jumped = false;
        while (true) {
            if (jump && !jumped && seq == 1 && floorIndex > s.first + 1) {
                jumped = true;
                seq = floorIndex - s.first;
                if (!tailer.moveToIndex(rollCycle.toIndex(cycle, seq))) return null;
                LogRecord r = peek(tailer, rollCycle.toIndex(cycle, seq));
                if (r == null || r.index() != floorIndex) return null;
                if (!tailer.moveToIndex(rollCycle.toIndex(cycle, seq))) return null;
            }
            long expectedQi = rollCycle.toIndex(cycle, seq);
            String bad;
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) return s;
                long qi = dc.index();
                if (rollCycle.toCycle(qi) != cycle) {
                    dc.rollbackOnClose();
                    return s;
                }
                LogRecord r = null;
                if (qi == expectedQi) {
                    Bytes<?> b = dc.wire().bytes();
                    long len = b.readRemaining();
                    if (len <= Integer.MAX_VALUE - 64) {
                        b.read(codec.bufferFor((int) len), 0, (int) len);
                        r = codec.decode((int) len);
                    }
                }
                if (r == null) {
                    bad = qi == expectedQi ? "record fails its checksum" : "unexpected queue index " + Long.toHexString(qi);
                } else if (seq > 0 && r.index() != s.first + seq) {
                    bad = "record carries index " + r.index();
                } else {
                    if (seq == 0) s.first = r.index();
                    s.last = r.index();
                    s.terms.append(r.index(), r.term());
                    seq++;
                    continue;
                }
            } catch (RuntimeException e) {
                bad = "unreadable record (" + e + ")";
            }
            s.badDetail = bad;
            if (seq == 0) s.badFirstRecord = true;
            else s.badIndex = s.first + seq;
            return s;
        }
    }
}
