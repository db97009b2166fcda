package org.impressionsclicks.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A warm job meeting a backlog: the job watches an empty folder with its defaults; a warm-up set
 * (other days, before the backlog's) is dropped in and read until PostgreSQL holds its true counts,
 * so the job's JVM has compiled its hot code; then the whole backlog is dropped at once (atomic
 * renames, oldest file first, as upstream would have written them) and the clock runs from the
 * first rename to the first read of the table in which every hour of both sets holds its true
 * count. Both sets are hard links to cached datasets, so the drop moves links, not the datasets; the
 * backlog is read once, untimed, before, so that the job reads it from the page cache.
 */
final class DrainRun {

    /** How long the job may take: a minute, and 100 ms a file (10 files/s) on top. */
    private static final long BASE_TIMEOUT_NANOS = 60_000_000_000L;

    private static final long TIMEOUT_NANOS_PER_FILE = 100_000_000L;

    /** The drain: backlog size, renames' and drain's time (-1 if the table never got there), the job JVM's peak RSS. */
    record Result(int files, int warmupFiles, long renameNanos, long drainNanos, long peakRssMb) {
        boolean agrees() {
            return drainNanos > 0;
        }

        double filesPerSecond() {
            return agrees() ? files * 1e9 / drainNanos : 0;
        }
    }

    private final Engines engines;
    private final Path work;
    private final BenchDatabase db;
    private final Dataset warmup;
    private final Dataset backlog;

    DrainRun(Engines engines, Path work, BenchDatabase db, Dataset warmup, Dataset backlog) {
        if (warmup.spec.start().plusDays(Dataset.DAYS).isAfter(backlog.spec.start())) {
            throw new IllegalArgumentException(
                    "the warm-up set must lie before the backlog, or the backlog would be late");
        }
        this.engines = engines;
        this.work = work;
        this.db = db;
        this.warmup = warmup;
        this.backlog = backlog;
    }

    Result run() throws Exception {
        Path dir = work.resolve("drain");
        Benchmark.deleteRecursively(dir);
        try {
            Path watched = Files.createDirectories(dir.resolve("raw_data"));
            List<Path> warmupLinks = link(warmup, dir.resolve("staging-warmup"));
            List<Path> backlogLinks = link(backlog, dir.resolve("staging-backlog"));
            backlog.warmPageCache(); // the backlog is read from the page cache, as by the engines
            System.out.printf(
                    "%nWarm drain: the job watches a folder (--processed keep); %,d warm-up files first, then a backlog of %,d "
                            + "files at once%n",
                    warmupLinks.size(), backlogLinks.size());
            try (WatchingJob job = new WatchingJob(engines, db, watched, dir, "keep")) {
                drop(warmupLinks, watched);
                if (job.awaitTable(warmup.expected, System.nanoTime() + timeout(warmupLinks.size())) < 0) {
                    System.out.println(
                            "Warm drain: the warm-up set's counts never showed in PostgreSQL:\n  " + job.outputTail());
                    return new Result(backlogLinks.size(), warmupLinks.size(), 0, -1, job.peakRssMb());
                }
                long start = System.nanoTime();
                drop(backlogLinks, watched);
                long renamed = System.nanoTime();
                long done = job.awaitTable(Dataset.union(warmup, backlog), renamed + timeout(backlogLinks.size()));
                Result result = new Result(
                        backlogLinks.size(),
                        warmupLinks.size(),
                        renamed - start,
                        done < 0 ? -1 : done - start,
                        job.peakRssMb());
                if (result.agrees()) {
                    System.out.printf(
                            "Warm drain: renames took %.2f s; every hour final in PostgreSQL %.2f s after the first rename: "
                                    + "%,.0f files/s, %,.0f events/s; job JVM peak RSS %,d MiB%n",
                            result.renameNanos() / 1e9,
                            result.drainNanos() / 1e9,
                            result.filesPerSecond(),
                            result.filesPerSecond() * backlog.events / backlog.files(),
                            result.peakRssMb());
                } else {
                    System.out.println("Warm drain: PostgreSQL did not reach the backlog's true counts in time:\n  "
                            + job.outputTail());
                }
                return result;
            }
        } finally {
            Benchmark.deleteRecursively(dir);
        }
    }

    private static long timeout(int files) {
        return BASE_TIMEOUT_NANOS + TIMEOUT_NANOS_PER_FILE * files;
    }

    /** Hard links to the dataset's files in {@code staging}, oldest first. */
    private static List<Path> link(Dataset data, Path staging) throws Exception {
        Files.createDirectories(staging);
        List<Path> links = new ArrayList<>();
        for (Path file : data.fileList()) {
            links.add(Files.createLink(staging.resolve(file.getFileName()), file));
        }
        return links;
    }

    private static void drop(List<Path> files, Path watched) throws Exception {
        for (Path file : files) {
            Files.move(file, watched.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
