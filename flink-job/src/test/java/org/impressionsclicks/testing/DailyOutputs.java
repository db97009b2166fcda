package org.impressionsclicks.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads what the daily FileSink wrote: finished (visible) part files per event-date bucket. */
public final class DailyOutputs {

    private DailyOutputs() {}

    /** Finished part files of each date bucket, oldest first (hidden in-progress files excluded). */
    public static Map<String, List<Path>> finishedFiles(Path outputDir) {
        Map<String, List<Path>> byDate = new TreeMap<>();
        if (!Files.isDirectory(outputDir)) {
            return byDate;
        }
        try (Stream<Path> buckets = Files.list(outputDir)) {
            for (Path bucket : buckets.filter(Files::isDirectory).collect(Collectors.toList())) {
                try (Stream<Path> files = Files.list(bucket)) {
                    List<Path> finished = files
                            .filter(f -> !f.getFileName().toString().startsWith("."))
                            .sorted(Comparator.comparing(DailyOutputs::modified).thenComparing(Path::toString))
                            .collect(Collectors.toCollection(ArrayList::new));
                    if (!finished.isEmpty()) {
                        byDate.put(bucket.getFileName().toString(), finished);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byDate;
    }

    /** The current CSV of each date: the content of its newest finished file. */
    public static Map<String, String> currentCsvs(Path outputDir) {
        Map<String, String> current = new TreeMap<>();
        finishedFiles(outputDir).forEach((date, files) -> current.put(date, read(files.get(files.size() - 1))));
        return current;
    }

    /** The reference CSVs of a folder like {@code expected_output/}, keyed by date, line endings normalised. */
    public static Map<String, String> expectedCsvs(Path expectedDir) {
        Map<String, String> expected = new TreeMap<>();
        try (Stream<Path> files = Files.list(expectedDir)) {
            files.filter(f -> f.toString().endsWith(".csv"))
                    .forEach(f -> expected.put(f.getFileName().toString().replace(".csv", ""), read(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return expected;
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
