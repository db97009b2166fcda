package org.impressionsclicks.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.impressionsclicks.generate.DataGenerator;
import org.impressionsclicks.generate.RowsPerFile;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.HourlyCount;
import org.impressionsclicks.source.EventFileName;

/**
 * Streaming latency: the job watches an empty folder (its default monitor interval, checkpoint
 * interval and JDBC batching); files land by atomic rename at a steady rate, each file alone in its
 * date-hour; the time from a file's rename to its hour's row showing its count in PostgreSQL is
 * measured for every file by polling the table. Then the checkpoint size before and after those
 * files shows what each processed file adds to the source's state.
 */
final class LatencyRun {

    private static final int ROWS_PER_FILE = 2_000;
    private static final Pattern CHECKPOINT_FOLDER = Pattern.compile("chk-(\\d+)");

    private final Engines engines;
    private final Path work;
    private final BenchDatabase db;
    private final int files;
    private final double rate;
    private final String processed;

    /** @param processed the job's {@code --processed} mode: what happens to a file once its day is final */
    LatencyRun(Engines engines, Path work, BenchDatabase db, int files, double rate, String processed) {
        this.engines = engines;
        this.work = work;
        this.db = db;
        this.files = (files + 23) / 24 * 24; // whole days: the generator then puts file i in hour i
        this.rate = rate;
        this.processed = processed;
    }

    void run() throws Exception {
        Path dir = work.resolve("latency");
        Benchmark.deleteRecursively(dir);
        Path staging = dir.resolve("staging");
        Path watched = Files.createDirectories(dir.resolve("raw_data"));
        DataGenerator.Result data = DataGenerator.generate(
                staging,
                new DataGenerator.Spec(
                        files, RowsPerFile.exactly(ROWS_PER_FILE), files / 24, LocalDate.of(2022, 5, 26), 20, 11, 0.0));
        Map<String, Long> expected = new ConcurrentHashMap<>();
        for (HourlyCount h : data.referenceCounts().values()) {
            expected.put(DateHours.format(h.hourStart), h.impressions + h.clicks);
        }
        System.out.printf(
                "%nStreaming (--processed %s): %d files of %,d rows, one per hour, landing at %.0f files/s in a watched folder%n",
                processed, files, ROWS_PER_FILE, rate);

        try (WatchingJob job = new WatchingJob(engines, db, watched, dir, processed)) {
            Path checkpoints = job.checkpoints;
            long before = awaitNextCheckpointSize(checkpoints);
            Map<String, Long> landed = new ConcurrentHashMap<>();
            Map<String, Long> seen = new ConcurrentHashMap<>();
            Thread poller = new Thread(() -> poll(expected, seen), "latency-poller");
            poller.setDaemon(true);
            poller.start();
            long periodNanos = (long) (1e9 / rate);
            long next = System.nanoTime();
            for (Path file : data.files()) {
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                String hour = hourOf(file);
                Files.move(file, watched.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                landed.put(hour, System.nanoTime());
                next += periodNanos;
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (seen.size() < expected.size() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            poller.interrupt();
            List<Long> latencies = new ArrayList<>();
            for (Map.Entry<String, Long> e : seen.entrySet()) {
                latencies.add((e.getValue() - landed.get(e.getKey())) / 1_000_000);
            }
            Collections.sort(latencies);
            if (latencies.size() < expected.size()) {
                System.out.printf(
                        "Latency: only %d of %d hours reached PostgreSQL within 60 s%n",
                        latencies.size(), expected.size());
            }
            System.out.printf(
                    "Latency file rename -> row in PostgreSQL (ms): p50 %d  p90 %d  p99 %d  max %d  (%d files)%n",
                    pct(latencies, 50),
                    pct(latencies, 90),
                    pct(latencies, 99),
                    latencies.get(latencies.size() - 1),
                    latencies.size());
            long after = awaitNextCheckpointSize(checkpoints);
            long remaining;
            try (Stream<Path> left = Files.list(watched)) {
                remaining = left.count();
            }
            System.out.printf(
                    "Checkpoint: %,d bytes with 0 files processed, %,d bytes after %d files (%d still in the folder): "
                            + "%.0f bytes per processed file%n",
                    before, after, files, remaining, (after - before) / (double) files);
        } finally {
            Benchmark.deleteRecursively(dir);
        }
    }

    private static String hourOf(Path file) {
        LocalDateTime time =
                EventFileName.parse(file.getFileName().toString()).orElseThrow().timestamp();
        return DateHours.format(DateHours.hourStart(time));
    }

    private void poll(Map<String, Long> expected, Map<String, Long> seen) {
        while (!Thread.currentThread().isInterrupted()) {
            try (Connection c = DriverManager.getConnection(db.url, db.user, null);
                    Statement s = c.createStatement()) {
                while (!Thread.currentThread().isInterrupted()) {
                    Map<String, long[]> hours = BenchDatabase.readHours(s);
                    long now = System.nanoTime();
                    hours.forEach((hour, counts) -> {
                        if (counts[0] + counts[1] == expected.getOrDefault(hour, -1L)) {
                            seen.putIfAbsent(hour, now);
                        }
                    });
                    Thread.sleep(10);
                }
            } catch (SQLException e) {
                sleepQuietly(); // the table is created by the job when it starts
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the next completed checkpoint and returns its size on disk (metadata and state files). */
    private static long awaitNextCheckpointSize(Path checkpoints) throws Exception {
        int last = latestCheckpoint(checkpoints);
        for (int i = 0; i < 600 && latestCheckpoint(checkpoints) <= last; i++) {
            Thread.sleep(100);
        }
        int latest = latestCheckpoint(checkpoints);
        try (Stream<Path> chk = Files.list(checkpoints)) {
            Path job = chk.findFirst().orElseThrow();
            try (Stream<Path> all = Files.walk(job.resolve("chk-" + latest))) {
                return all.filter(Files::isRegularFile)
                        .mapToLong(p -> p.toFile().length())
                        .sum();
            }
        }
    }

    /** The highest chk-N folder with a _metadata file (a completed checkpoint), or -1. */
    private static int latestCheckpoint(Path checkpoints) throws IOException {
        int latest = -1;
        try (Stream<Path> jobs = Files.list(checkpoints)) {
            for (Path job : (Iterable<Path>) jobs::iterator) {
                try (Stream<Path> chks = Files.list(job)) {
                    for (Path chk : (Iterable<Path>) chks::iterator) {
                        Matcher m = CHECKPOINT_FOLDER.matcher(chk.getFileName().toString());
                        if (m.matches() && Files.exists(chk.resolve("_metadata"))) {
                            latest = Math.max(latest, Integer.parseInt(m.group(1)));
                        }
                    }
                }
            }
        }
        return latest;
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
