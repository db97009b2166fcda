package org.impressionsclicks.testing;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
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
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;

/** Reads what the daily FileSink wrote: finished (visible) part files per event-date bucket. */
public final class DailyOutputs {

    private DailyOutputs() {}

    /** Finished part files of each date bucket, oldest first (hidden in-progress files excluded). */
    public static Map<String, List<Path>> finishedFiles(Path outputDir) {
        Map<String, List<Path>> byDate = new TreeMap<>();
        finishedFiles(new org.apache.flink.core.fs.Path(outputDir.toUri()))
                .forEach((date, files) -> byDate.put(
                        date,
                        files.stream().map(f -> Path.of(f.toUri())).collect(Collectors.toCollection(ArrayList::new))));
        return byDate;
    }

    /** The current CSV of each date: the content of its newest finished file. */
    public static Map<String, String> currentCsvs(Path outputDir) {
        return currentCsvs(new org.apache.flink.core.fs.Path(outputDir.toUri()));
    }

    /**
     * {@link #finishedFiles(Path)} on any of Flink's file systems (an {@code s3://} output, say),
     * read through Flink's {@code FileSystem} as the job wrote it.
     */
    public static Map<String, List<org.apache.flink.core.fs.Path>> finishedFiles(
            org.apache.flink.core.fs.Path outputDir) {
        Map<String, List<org.apache.flink.core.fs.Path>> byDate = new TreeMap<>();
        try {
            FileSystem fs = outputDir.getFileSystem();
            if (!fs.exists(outputDir)) {
                return byDate;
            }
            for (FileStatus bucket : listStatus(fs, outputDir)) {
                if (!bucket.isDir()) {
                    continue;
                }
                List<org.apache.flink.core.fs.Path> finished = Stream.of(listStatus(fs, bucket.getPath()))
                        .filter(f -> !f.isDir() && !f.getPath().getName().startsWith("."))
                        .sorted(Comparator.comparingLong(FileStatus::getModificationTime)
                                .thenComparing(f -> f.getPath().toString()))
                        .map(FileStatus::getPath)
                        .collect(Collectors.toCollection(ArrayList::new));
                if (!finished.isEmpty()) {
                    byDate.put(bucket.getPath().getName(), finished);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byDate;
    }

    /**
     * The folder's files, listed again when one goes while it is listed: Flink's local file system looks at
     * each name after listing them, and the sink renames its in-progress files meanwhile.
     */
    private static FileStatus[] listStatus(FileSystem fs, org.apache.flink.core.fs.Path dir) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return fs.listStatus(dir);
            } catch (FileNotFoundException e) {
                if (attempt == 10 || !fs.exists(dir)) {
                    throw e;
                }
            }
        }
    }

    /** {@link #currentCsvs(Path)} on any of Flink's file systems. */
    public static Map<String, String> currentCsvs(org.apache.flink.core.fs.Path outputDir) {
        Map<String, String> current = new TreeMap<>();
        finishedFiles(outputDir).forEach((date, files) -> current.put(date, read(files.get(files.size() - 1))));
        return current;
    }

    static String read(org.apache.flink.core.fs.Path file) {
        try (InputStream in = file.getFileSystem().open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
}
