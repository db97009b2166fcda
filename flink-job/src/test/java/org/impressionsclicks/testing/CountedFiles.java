package org.impressionsclicks.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.impressionsclicks.model.CountedFile;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.model.FileHour;
import org.impressionsclicks.model.FileResult;

/** The {@link CountedFile}s a reader should make of a file, for tests to compare with. */
public final class CountedFiles {

    private CountedFiles() {}

    /** A file whose {@code matched} (at least one) of {@code rows} rows all lie in {@code hour}. */
    public static CountedFile inOneHour(String file, EventKind kind, long hour, long matched, long rows) {
        return new CountedFile(
                FileResult.read(file, kind, hour, hour, rows, matched),
                new FileHour[] {new FileHour(file, kind, hour, matched)});
    }

    /** A file of {@code rows} rows, none of them matching, named for {@code nameHour}. */
    public static CountedFile withoutMatches(String file, EventKind kind, long nameHour, long rows) {
        return CountedFile.withoutHours(FileResult.read(file, kind, nameHour, nameHour, rows, 0));
    }

    /** The matching events of each of the file's hours, in order. */
    public static Map<Long, Long> perHour(CountedFile file) {
        Map<Long, Long> hours = new LinkedHashMap<>();
        for (FileHour hour : file.hours) {
            if (hours.put(hour.hourStart, hour.events) != null) {
                throw new AssertionError("hour " + hour.hourStart + " twice in " + file);
            }
        }
        return hours;
    }
}
