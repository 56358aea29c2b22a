package io.redraft.jepsen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The operations of a run, as clients complete them (thread-safe). */
public final class History {
    private final List<Op> ops = new ArrayList<>();
    private final long origin;

    public History(long origin) {
        this.origin = origin;
    }

    public synchronized void add(Op op) {
        ops.add(op);
    }

    /** A copy, ordered by invocation time. */
    public synchronized List<Op> ops() {
        List<Op> copy = new ArrayList<>(ops);
        copy.sort(Comparator.comparingLong(Op::invokeNanos));
        return copy;
    }

    public long origin() {
        return origin;
    }

    /** The operations matching {@code which}, grouped by key (in invocation order). */
    public Map<String, List<Op>> byKey(Predicate<Op> which) {
        Map<String, List<Op>> m = new LinkedHashMap<>();
        for (Op op : ops()) {
            if (which.test(op)) {
                m.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        return m;
    }

    public synchronized int size() {
        return ops.size();
    }

    public long count(Op.Status status) {
        return ops().stream().filter(o -> o.status() == status).count();
    }

    /** Writes one line per operation (see {@link Op#describe}). */
    public void save(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("# invoke-ms complete-ms process status f key value result-or-error\n");
        for (Op op : ops()) {
            sb.append(op.describe(origin)).append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }
}
