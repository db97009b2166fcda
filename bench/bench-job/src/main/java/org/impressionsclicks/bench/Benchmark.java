package org.impressionsclicks.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.impressionsclicks.generate.DataGenerator;
import org.impressionsclicks.generate.RowsPerFile;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.HourlyCount;

/**
 * {@code ./impressions-clicks bench}: one generated dataset, four engines each in its own JVM
 * (this job, Flink SQL, DuckDB, Spark local), repeated, medians, a check that they all agree with
 * the generator's true counts; then the job's file-to-PostgreSQL latency and the cost of its
 * source's memory of processed files. The last line is machine-readable.
 */
public final class Benchmark {

    static final String USAGE = "usage: impressions-clicks bench [--files N] [--rows-per-file M] [--repeat R] [--engines job,flinksql,duckdb,spark]\n"
            + "         [--work DIR] [--seed S] [--latency-files N] [--latency-rate FILES_PER_S] [--jdbc-url URL] [--jdbc-user USER]";

    private Benchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of(
                "files", "500", "rows-per-file", "20000", "repeat", "3", "engines", "job,flinksql,duckdb,spark",
                "work", "bench-work", "seed", "1", "latency-files", "600", "latency-rate", "10",
                "jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test", "jdbc-user", "postgres"));
        if (List.of(args).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        try {
            Map<String, String> given = EngineReport.options(args);
            for (String name : given.keySet()) {
                if (!o.containsKey(name)) {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
            }
            o.putAll(given);
        } catch (IllegalArgumentException e) {
            System.err.println("impressions-clicks bench: " + e.getMessage() + " (see --help)");
            System.exit(2);
        }
        long benchStart = System.nanoTime();
        Path home = Path.of(System.getProperty("bench.home", ".")).toAbsolutePath();
        Path work = home.resolve(o.get("work")).toAbsolutePath();
        int files = Integer.parseInt(o.get("files"));
        int rows = Integer.parseInt(o.get("rows-per-file"));
        int repeat = Integer.parseInt(o.get("repeat"));
        List<String> engines = List.of(o.get("engines").split(","));

        System.out.printf("Machine: %d cores, %d MiB max heap per engine JVM, Java %s, %s%n",
                Runtime.getRuntime().availableProcessors(), Engines.HEAP_MB, System.getProperty("java.version"),
                ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE));
        Dataset data = Dataset.prepare(work, files, rows, Long.parseLong(o.get("seed")));
        try (BenchDatabase db = BenchDatabase.open(o.get("jdbc-url"), o.get("jdbc-user"), work)) {
            Engines runner = new Engines(home, work, db);
            Map<String, List<Engines.Run>> runs = new LinkedHashMap<>();
            engines.forEach(e -> runs.put(e, new ArrayList<>()));
            for (int r = 1; r <= repeat; r++) {
                for (String engine : engines) {
                    Engines.Run run = runner.run(engine, data.dir, data.expected);
                    runs.get(engine).add(run);
                    System.out.printf("  run %d/%d %-9s %7.2f s  %,12.0f events/s  peak heap %,6d MiB  peak RSS %,6d MiB  %s%n", r, repeat,
                            engine, run.elapsedMs() / 1000.0, data.events * 1000.0 / run.elapsedMs(), run.peakHeapMb(), run.peakRssMb(),
                            run.agrees() ? "counts exact" : "COUNTS DIFFER");
                }
            }
            Map<String, Summary> summaries = new LinkedHashMap<>();
            runs.forEach((engine, list) -> summaries.put(engine, Summary.of(list, data.events)));
            boolean agree = summaries.values().stream().allMatch(Summary::agrees);
            System.out.printf("%nDataset: %,d events in %,d files (%,d rows each), %,d matching '%s'%n",
                    data.events, files, rows, data.matching, DataGenerator.REFERENCE_USER_AGENT);
            System.out.printf("%-9s %10s %14s %12s %14s %13s %8s%n", "engine", "median s", "events/s", "vs job", "peak heap MiB",
                    "peak RSS MiB", "agree");
            long jobEps = summaries.containsKey("job") ? summaries.get("job").eps() : 0;
            summaries.forEach((engine, m) -> System.out.printf("%-9s %10.2f %,14d %11.2fx %,14d %,13d %8s%n", engine,
                    m.medianMs() / 1000.0, m.eps(), jobEps == 0 ? Double.NaN : (double) jobEps / m.eps(), m.heapMb(), m.rssMb(), m.agrees()));
            System.out.println("(vs job: how many times faster the job is than the engine)");

            int latencyFiles = Integer.parseInt(o.get("latency-files"));
            if (latencyFiles > 0) {
                double rate = Double.parseDouble(o.get("latency-rate"));
                new LatencyRun(runner, work, db, latencyFiles, rate, "keep").run();
                // processed files deleted once their day is final: the source's state stays bounded
                new LatencyRun(runner, work, db, Math.min(latencyFiles, 240), rate, "delete").run();
            }
            StateSize.report();

            System.out.printf("%nThe benchmark took %.1f minutes.%n", (System.nanoTime() - benchStart) / 60e9);
            System.out.printf("RESULT events=%d job_eps=%d flinksql_eps=%d duckdb_eps=%d spark_eps=%d agree=%s%n", data.events,
                    eps(summaries, "job"), eps(summaries, "flinksql"), eps(summaries, "duckdb"), eps(summaries, "spark"), agree);
        }
    }

    private static long eps(Map<String, Summary> summaries, String engine) {
        return summaries.containsKey(engine) ? summaries.get(engine).eps() : 0;
    }

    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().collect(Collectors.toList());
        return sorted.get(sorted.size() / 2);
    }

    /** An engine's repeated runs: medians, throughput at the median time, and whether every run was exact. */
    record Summary(long medianMs, long eps, long heapMb, long rssMb, boolean agrees) {
        static Summary of(List<Engines.Run> runs, long events) {
            long median = median(runs.stream().map(Engines.Run::elapsedMs).collect(Collectors.toList()));
            return new Summary(median, Math.round(events * 1000.0 / median),
                    median(runs.stream().map(Engines.Run::peakHeapMb).collect(Collectors.toList())),
                    median(runs.stream().map(Engines.Run::peakRssMb).collect(Collectors.toList())),
                    runs.stream().allMatch(Engines.Run::agrees));
        }
    }

    /** The generated files and their true counts, made once per (files, rows, seed) and reused. */
    static final class Dataset {
        final Path dir;
        final Map<String, long[]> expected;
        final long events;
        final long matching;

        private Dataset(Path dir, Map<String, long[]> expected, long events) {
            this.dir = dir;
            this.expected = expected;
            this.events = events;
            this.matching = expected.values().stream().mapToLong(c -> c[0] + c[1]).sum();
        }

        static Dataset prepare(Path work, int files, int rows, long seed) throws IOException {
            Path dir = work.resolve("data-" + files + "x" + rows + "-seed" + seed);
            Path expectedFile = work.resolve("data-" + files + "x" + rows + "-seed" + seed + ".expected");
            long events = (long) files * rows;
            if (Files.isRegularFile(expectedFile)) {
                System.out.println("Dataset: reusing " + dir);
                return new Dataset(dir.resolve("raw_data"), EngineReport.readResult(expectedFile), events);
            }
            deleteRecursively(dir);
            System.out.printf("Dataset: generating %,d files x %,d rows into %s ...%n", files, rows, dir);
            long start = System.nanoTime();
            DataGenerator.Result result = DataGenerator.generate(dir.resolve("raw_data"),
                    new DataGenerator.Spec(files, RowsPerFile.exactly(rows), 3, LocalDate.of(2022, 5, 26), 20, seed, 0.0));
            System.out.printf("Dataset: generated in %.0f s%n", (System.nanoTime() - start) / 1e9);
            Map<String, long[]> expected = new java.util.TreeMap<>();
            for (HourlyCount h : result.referenceCounts().values()) {
                LocalDateTime hour = DateHours.toDateTime(h.hourStart);
                expected.put(hour.toLocalDate() + "T" + String.format("%02d", hour.getHour()), new long[] {h.impressions, h.clicks});
            }
            EngineReport.writeResult(expectedFile, expected);
            return new Dataset(dir.resolve("raw_data"), expected, result.events());
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
