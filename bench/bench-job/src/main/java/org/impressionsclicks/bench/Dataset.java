package org.impressionsclicks.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.impressionsclicks.generate.DataGenerator;
import org.impressionsclicks.generate.RowsPerFile;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.HourlyCount;
import org.impressionsclicks.source.EventFileName;

/**
 * A generated dataset and the generator's true counts, made once per {@link Spec} and kept in the
 * work folder under the spec's {@link Spec#key key}: {@code <key>/raw_data/} holds the files,
 * {@code <key>.events} the event count and {@code <key>.expected} the true counts (written last, so
 * its presence means the dataset is complete). A later run with the same spec reuses it.
 */
final class Dataset {

    /** Every dataset's file times spread over this many days, 20 Zipf-skewed user agents. */
    static final int DAYS = 3;

    static final LocalDate START = LocalDate.of(2022, 5, 26);
    private static final int USER_AGENTS = 20;
    /** For the disk-space check only: a full-schema file's size without its rows, and a row's share. */
    private static final long BYTES_PER_FILE = 120_000;

    private static final long BYTES_PER_ROW = 670;

    /**
     * What to generate: {@code name} says what the dataset is for ({@code data}, {@code real},
     * {@code warmup}), the file times start on {@code start} and span {@link #DAYS} days.
     */
    record Spec(String name, int files, RowsPerFile rows, LocalDate start, long seed) {
        /** The folder and file names in the work folder; the same spec, the same key. */
        String key() {
            return name + "-" + files + "x" + rows + "-seed" + seed;
        }

        long estimatedBytes() {
            return files * (BYTES_PER_FILE + Math.round(BYTES_PER_ROW * (rows.min() + rows.max()) / 2.0));
        }
    }

    final Spec spec;
    final Path dir;
    /** Date-hour ({@code yyyy-MM-ddTHH}) to the reference user agent's {impressions, clicks}. */
    final Map<String, long[]> expected;

    final long events;
    final long matching;

    private Dataset(Spec spec, Path dir, Map<String, long[]> expected, long events) {
        this.spec = spec;
        this.dir = dir;
        this.expected = expected;
        this.events = events;
        this.matching = expected.values().stream().mapToLong(c -> c[0] + c[1]).sum();
    }

    int files() {
        return spec.files();
    }

    static boolean isCached(Path work, Spec spec) {
        return Files.isRegularFile(expectedFile(work, spec));
    }

    static Dataset prepare(Path work, Spec spec) throws IOException {
        Path root = work.resolve(spec.key());
        Path expectedFile = expectedFile(work, spec);
        Path eventsFile = work.resolve(spec.key() + ".events");
        if (isCached(work, spec)) {
            System.out.println("Dataset: reusing " + root);
            long events = Files.isRegularFile(eventsFile)
                    ? Long.parseLong(Files.readString(eventsFile).trim())
                    : (long) spec.files() * spec.rows().min(); // written before the count was kept: one row count
            return new Dataset(spec, root.resolve("raw_data"), EngineReport.readResult(expectedFile), events);
        }
        Benchmark.deleteRecursively(root);
        System.out.printf("Dataset: generating %,d files x %s rows into %s ...%n", spec.files(), spec.rows(), root);
        long start = System.nanoTime();
        DataGenerator.Result result = generate(root.resolve("raw_data"), spec);
        System.out.printf("Dataset: generated in %.0f s%n", (System.nanoTime() - start) / 1e9);
        flush(root);
        Map<String, long[]> expected = new TreeMap<>();
        for (HourlyCount h : result.referenceCounts().values()) {
            LocalDateTime hour = DateHours.toDateTime(h.hourStart);
            expected.put(
                    hour.toLocalDate() + "T" + String.format("%02d", hour.getHour()),
                    new long[] {h.impressions, h.clicks});
        }
        Files.writeString(eventsFile, result.events() + "\n");
        EngineReport.writeResult(expectedFile, expected);
        return new Dataset(spec, root.resolve("raw_data"), expected, result.events());
    }

    /**
     * Writes the new dataset's pages to disk before anything is timed, so that the first engines'
     * runs do not share the disk and the cores with the kernel writing gigabytes of it back.
     */
    private static void flush(Path root) {
        long start = System.nanoTime();
        try {
            Process sync = new ProcessBuilder("sync", "-f", root.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (sync.waitFor() == 0) {
                System.out.printf("Dataset: flushed to disk in %.1f s%n", (System.nanoTime() - start) / 1e9);
                return;
            }
        } catch (IOException e) {
            // no sync command: said below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.println(
                "Dataset: could not flush it to disk (sync -f); the first runs may share the disk with its writing");
    }

    private static DataGenerator.Result generate(Path dir, Spec spec) throws IOException {
        return DataGenerator.generate(
                dir,
                new DataGenerator.Spec(spec.files(), spec.rows(), DAYS, spec.start(), USER_AGENTS, spec.seed(), 0.0));
    }

    private static Path expectedFile(Path work, Spec spec) {
        return work.resolve(spec.key() + ".expected");
    }

    /** The event files, oldest file-name time first (the order the generator wrote them in). */
    List<Path> fileList() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(
                            f -> EventFileName.parse(f.getFileName().toString()).isPresent())
                    .sorted(Comparator.comparing((Path f) -> EventFileName.parse(
                                            f.getFileName().toString())
                                    .orElseThrow()
                                    .timestamp())
                            .thenComparing(Path::getFileName))
                    .collect(Collectors.toList());
        }
    }

    /** Reads every file once, untimed, so that every engine's runs read it from the page cache. */
    void warmPageCache() throws Exception {
        InParallel.forEach(
                fileList(), Engines.PARALLELISM, () -> ByteBuffer.allocateDirect(1 << 20), (file, buffer) -> {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                        buffer.clear();
                        while (channel.read(buffer) >= 0) {
                            buffer.clear();
                        }
                    }
                });
    }

    /** The sum of two datasets' true counts (they cover different hours when their days differ). */
    static Map<String, long[]> union(Dataset a, Dataset b) {
        Map<String, long[]> sum = new TreeMap<>();
        for (Dataset d : List.of(a, b)) {
            d.expected.forEach((hour, c) -> {
                long[] s = sum.computeIfAbsent(hour, h -> new long[2]);
                s[0] += c[0];
                s[1] += c[1];
            });
        }
        return sum;
    }
}
