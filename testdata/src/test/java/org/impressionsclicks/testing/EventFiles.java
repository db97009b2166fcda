package org.impressionsclicks.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.impressionsclicks.config.JobOptions;
import org.impressionsclicks.generate.AdformParquetWriter;
import org.impressionsclicks.generate.GeneratedEvent;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.source.EventFileName;

/**
 * Writes event files in the full nested Adform schema into a staging folder and then moves them
 * into a watched folder, as upstream does, so the job never sees half a file.
 */
public final class EventFiles {

    public static final String OTHER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) other agent";
    /** The zone of the rows' creation times: the job's default, so a run with --time-source record reads the names' hours. */
    private static final ZoneId ZONE = JobOptions.DEFAULT_TIME_ZONE;

    private final Path staging;
    private int sequence;

    public EventFiles(Path staging) {
        this.staging = staging;
    }

    /** An upstream file name for {@code kind} at wall-clock {@code time}. */
    public String name(EventKind kind, String time) {
        int n = sequence++;
        return EventFileName.format(kind, LocalDateTime.parse(time), (1000 + n) + "-" + (1005 + n), n % 2);
    }

    /**
     * Writes a file named for {@code kind} and {@code time} with {@code matching} rows of the reference
     * user agent and {@code others} rows of other agents (some null, some differing only in case),
     * whose creation times lie in the name's hour, and returns it (still in the staging folder).
     */
    public Path write(EventKind kind, String time, int matching, int others) throws IOException {
        return write(name(kind, time), matching, others);
    }

    public Path write(String fileName, int matching, int others) throws IOException {
        EventFileName name = EventFileName.parse(fileName).orElseThrow(() -> new IllegalArgumentException(fileName));
        long end = name.timestamp().atZone(ZONE).toInstant().toEpochMilli();
        long hourStart = name.timestamp()
                .withMinute(0)
                .withSecond(0)
                .withNano(0)
                .atZone(ZONE)
                .toInstant()
                .toEpochMilli();
        List<GeneratedEvent> rows = new ArrayList<>();
        for (int i = 0; i < matching + others; i++) {
            long time = Math.max(hourStart, end - 10 * (i + 1));
            String agent = i < matching ? Jobs.REFERENCE_USER_AGENT : otherAgent(i);
            rows.add(new GeneratedEvent(agent, time));
        }
        java.util.Collections.shuffle(rows, new java.util.Random(fileName.hashCode()));
        Path file = staging.resolve(fileName);
        AdformParquetWriter.write(file, name.kind(), rows, fileName.hashCode());
        return file;
    }

    private static String otherAgent(int i) {
        switch (i % 4) {
            case 0:
                return OTHER_USER_AGENT;
            case 1:
                return null;
            case 2:
                return "Some User Agent";
            default:
                return Jobs.REFERENCE_USER_AGENT + " ";
        }
    }

    /** Moves a staged file into the watched folder in one atomic rename. */
    public static Path moveInto(Path file, Path watched) throws IOException {
        return Files.move(file, watched.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes and moves in one go. */
    public Path drop(Path watched, EventKind kind, String time, int matching, int others) throws IOException {
        return moveInto(write(kind, time, matching, others), watched);
    }
}
