package io.redraft.raft.log;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of Chronicle cycle files under the roll cycle the journal uses (FAST_DAILY, UTC: cycle n
 * is day n after 1970-01-01, file {@code yyyyMMddF.cq4}). We list them ourselves so recovery never
 * depends on Chronicle's cached, unsynced directory metadata.
 */
final class CycleFiles {
    private static final Pattern NAME = Pattern.compile("(\\d{8})F\\.cq4");

    private CycleFiles() {
    }

    static Path path(Path dir, int cycle) {
        return dir.resolve(LocalDate.ofEpochDay(cycle).format(DateTimeFormatter.BASIC_ISO_DATE) + "F.cq4");
    }

    /** The cycles that have a file in {@code dir}, ascending. */
    static TreeSet<Integer> list(Path dir) throws IOException {
        TreeSet<Integer> cycles = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.cq4")) {
            for (Path p : ds) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    cycles.add((int) LocalDate.parse(m.group(1), DateTimeFormatter.BASIC_ISO_DATE).toEpochDay());
                }
            }
        }
        return cycles;
    }
}
