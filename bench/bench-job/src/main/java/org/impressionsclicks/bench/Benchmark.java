package org.impressionsclicks.bench;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.impressionsclicks.generate.DataGenerator;
import org.impressionsclicks.generate.RowsPerFile;

/**
 * {@code ./impressions-clicks bench}: four engines each in its own JVM (this job, Flink SQL,
 * DuckDB, Spark local), repeated, medians, every run checked against the generator's true counts,
 * on two kinds of dataset: a few big files (events/s) and many small full-schema files shaped like
 * the upstream ones (files/s), with the floor of reading those files, the job's scaling with their
 * number and the job draining a backlog of them while it watches the folder; then the job's
 * file-to-PostgreSQL latency and the cost of its source's memory of processed files. The last line
 * is machine-readable.
 */
public final class Benchmark {

    /**
     * Events per real-shaped file. Upstream files hold 3 to 7 events; the generator writes one row
     * count per dataset, so this is 5, the middle, and becomes 3-7 (which {@link Dataset} passes to
     * the generator) when the generator takes a range.
     */
    static final RowsPerFile REAL_ROWS = RowsPerFile.parse("3-7");
    /** Timed passes of the read floor (a pass over 20 000 files takes well under a second). */
    static final int FLOOR_PASSES = 5;
    /** Files of the drain's warm-up set (fewer if the backlog is smaller). */
    static final int WARMUP_FILES = 2_000;

    /** The options and their defaults, in the order {@code --help} lists them. */
    private static final Map<String, String[]> OPTIONS = new LinkedHashMap<>();

    static {
        option("files", "500", "N", "files of the big-file dataset");
        option("rows-per-file", "20000", "M", "events per file of the big-file dataset");
        option(
                "real-files",
                "20000",
                "N",
                "real-shaped files (" + REAL_ROWS + " events, full schema): engines, floor, drain; 0: none");
        option("scale", "2000,20000,100000", "N,N,..", "real-shaped file counts the job runs bounded on; 0: none");
        option("repeat", "3", "R", "runs per engine and dataset, of which the median is reported");
        option("engines", String.join(",", Engines.NAMES), "E,E,..", "engines run on both datasets");
        option("latency-files", "600", "N", "files of the streaming latency run; 0: none");
        option("latency-rate", "10", "FILES_PER_S", "the rate they land at");
        option("work", "bench-work", "DIR", "datasets (kept for runs with the same spec) and scratch");
        option("seed", "1", "S", "the generator's seed");
        option(
                "jdbc-url",
                "jdbc:postgresql://127.0.0.1:5432/test",
                "URL",
                "PostgreSQL the job loads (started if it does not answer)");
        option("jdbc-user", "postgres", "USER", "its user");
    }

    static final String USAGE = usage();

    private Benchmark() {}

    private static void option(String name, String defaultValue, String value, String description) {
        OPTIONS.put(name, new String[] {defaultValue, value, description});
    }

    private static String usage() {
        StringBuilder text = new StringBuilder("usage: impressions-clicks bench [options]\n\n"
                + "Every engine on big files and on real-shaped files, the read floor, the job's scaling and warm drain,\n"
                + "streaming latency and state size (README, \"Benchmark\"). Options (default in brackets):\n");
        OPTIONS.forEach((name, o) -> text.append(String.format("  --%-14s %-12s %s [%s]%n", name, o[1], o[2], o[0])));
        return text.toString().stripTrailing();
    }

    /** The validated options. */
    record Settings(
            int files,
            int rows,
            int realFiles,
            List<Integer> scale,
            int repeat,
            List<String> engines,
            int latencyFiles,
            double latencyRate,
            String work,
            long seed,
            String jdbcUrl,
            String jdbcUser) {

        static Settings parse(String[] args) {
            Map<String, String> o = new LinkedHashMap<>();
            OPTIONS.forEach((name, spec) -> o.put(name, spec[0]));
            Map<String, String> given = EngineReport.options(args);
            for (String name : given.keySet()) {
                if (!o.containsKey(name)) {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
            }
            o.putAll(given);
            List<String> engines = List.of(o.get("engines").split(",", -1));
            if (engines.isEmpty()
                    || !Engines.NAMES.containsAll(engines)
                    || engines.stream().distinct().count() != engines.size()) {
                throw new IllegalArgumentException("--engines takes some of " + String.join(",", Engines.NAMES)
                        + ", not '" + o.get("engines") + "'");
            }
            return new Settings(
                    whole(o, "files", 1),
                    whole(o, "rows-per-file", 1),
                    whole(o, "real-files", 0),
                    fileCounts(o.get("scale")),
                    whole(o, "repeat", 1),
                    engines,
                    whole(o, "latency-files", 0),
                    positive(o, "latency-rate"),
                    o.get("work"),
                    number(o, "seed"),
                    o.get("jdbc-url"),
                    o.get("jdbc-user"));
        }

        private static int whole(Map<String, String> o, String name, int min) {
            try {
                int n = Integer.parseInt(o.get(name));
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // the message below
            }
            throw new IllegalArgumentException(
                    "--" + name + " must be a whole number >= " + min + ", not '" + o.get(name) + "'");
        }

        private static double positive(Map<String, String> o, String name) {
            try {
                double x = Double.parseDouble(o.get(name));
                if (x > 0 && Double.isFinite(x)) {
                    return x;
                }
            } catch (NumberFormatException e) {
                // the message below
            }
            throw new IllegalArgumentException("--" + name + " must be a number > 0, not '" + o.get(name) + "'");
        }

        private static long number(Map<String, String> o, String name) {
            try {
                return Long.parseLong(o.get(name));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a whole number, not '" + o.get(name) + "'");
            }
        }

        private static List<Integer> fileCounts(String text) {
            if (text.equals("0")) {
                return List.of();
            }
            try {
                List<Integer> counts = new ArrayList<>();
                for (String n : text.split(",", -1)) {
                    counts.add(Integer.parseInt(n));
                }
                if (counts.stream().allMatch(n -> n >= 1)
                        && counts.stream().distinct().count() == counts.size()) {
                    return counts.stream().sorted().collect(Collectors.toList());
                }
            } catch (NumberFormatException e) {
                // the message below
            }
            throw new IllegalArgumentException(
                    "--scale takes distinct file counts >= 1 such as 2000,20000,100000, or 0, not '" + text + "'");
        }
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        Settings s;
        try {
            s = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("impressions-clicks bench: " + e.getMessage() + " (see --help)");
            System.exit(2);
            return;
        }
        long benchStart = System.nanoTime();
        Path home = Path.of(System.getProperty("bench.home", ".")).toAbsolutePath();
        Path work = Files.createDirectories(home.resolve(s.work()).toAbsolutePath());

        Dataset.Spec bigSpec =
                new Dataset.Spec("data", s.files(), RowsPerFile.exactly(s.rows()), Dataset.START, s.seed());
        Dataset.Spec realSpec = s.realFiles() == 0 ? null : realShaped(s.realFiles(), s.seed());
        Dataset.Spec warmupSpec = s.realFiles() == 0
                ? null
                : new Dataset.Spec(
                        "warmup",
                        Math.min(WARMUP_FILES, s.realFiles()),
                        REAL_ROWS,
                        Dataset.START.minusDays(Dataset.DAYS),
                        s.seed());
        List<Dataset.Spec> specs = new ArrayList<>(List.of(bigSpec));
        if (realSpec != null) {
            specs.addAll(List.of(realSpec, warmupSpec));
        }
        s.scale().forEach(n -> specs.add(realShaped(n, s.seed())));
        long needed = specs.stream()
                .distinct()
                .filter(spec -> !Dataset.isCached(work, spec))
                .mapToLong(Dataset.Spec::estimatedBytes)
                .sum();
        long free = Files.getFileStore(work).getUsableSpace();
        if (needed > free) {
            System.err.printf(
                    "impressions-clicks bench: the datasets to generate need about %.1f GB in %s, only %.1f GB are free "
                            + "(fewer --real-files or --scale, or another --work)%n",
                    needed / 1e9, work, free / 1e9);
            System.exit(2);
        }

        System.out.printf(
                "Machine: %d cores, %d MiB max heap per engine JVM, Java %s, %s%n",
                Runtime.getRuntime().availableProcessors(),
                Engines.HEAP_MB,
                System.getProperty("java.version"),
                ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE));
        Map<Dataset.Spec, Dataset> datasets = new LinkedHashMap<>();
        for (Dataset.Spec spec : specs) {
            if (!datasets.containsKey(spec)) {
                datasets.put(spec, Dataset.prepare(work, spec));
            }
        }
        Dataset big = datasets.get(bigSpec);
        Dataset real = realSpec == null ? null : datasets.get(realSpec);
        try (BenchDatabase db = BenchDatabase.open(s.jdbcUrl(), s.jdbcUser(), work)) {
            Engines runner = new Engines(home, work, db);
            Report report = new Report();

            System.out.printf(
                    "%nBig files: %,d events in %,d files of %,d rows, %,d matching '%s'%n",
                    big.events, big.files(), s.rows(), big.matching, DataGenerator.REFERENCE_USER_AGENT);
            report.big = runEngines(runner, s.engines(), big, s.repeat());
            report.bigData = big;
            printTable(report.big);

            if (real != null) {
                System.out.printf(
                        "%nReal-shaped files: %,d events in %,d files of %s rows (full schema, %d days), %,d matching%n",
                        real.events, real.files(), REAL_ROWS, Dataset.DAYS, real.matching);
                report.realData = real;
                report.real = runEngines(runner, s.engines(), real, s.repeat());
                printTable(report.real);
                report.floor = ReadFloor.measure(real, FLOOR_PASSES);
                ReadFloor.Result f = report.floor;
                System.out.printf(
                        "Read floor: per file its footer and trailer (%,d bytes) and its user-agent chunk (%,d bytes) of %,d bytes, "
                                + "two positioned reads, %d threads, page cache: %.3f s (median of %d) = %,.0f files/s%s%n",
                        f.footerBytes(),
                        f.chunkBytes(),
                        f.fileBytes(),
                        Engines.PARALLELISM,
                        f.medianNanos() / 1e9,
                        FLOOR_PASSES,
                        f.filesPerSecond(),
                        report.real.containsKey("job")
                                ? String.format(
                                        "; the job reaches %.2g%% of it",
                                        100 * report.real.get("job").fps() / f.filesPerSecond())
                                : "");
            }

            if (!s.scale().isEmpty()) {
                System.out.printf(
                        "%nScaling: the job bounded on %s real-shaped files%n",
                        s.scale().stream().map(String::valueOf).collect(Collectors.joining(", ")));
                for (int n : s.scale()) {
                    Dataset data = datasets.get(realShaped(n, s.seed()));
                    Summary job = data == real && report.real.containsKey("job")
                            ? report.real.get("job")
                            : runEngines(runner, List.of("job"), data, s.repeat())
                                    .get("job");
                    report.scale.add(job);
                    System.out.printf(
                            "  %,9d files %9.2f s %,9.0f files/s %,12.0f events/s  peak heap %,6d MiB  peak RSS %,6d MiB  %s%s%n",
                            n,
                            job.medianMs() / 1000.0,
                            job.fps(),
                            job.eps(),
                            job.heapMb(),
                            job.rssMb(),
                            job.agrees() ? "counts exact" : "COUNTS DIFFER",
                            data == real ? "  (the real-shaped runs above)" : "");
                }
            }

            if (real != null) {
                report.drain = new DrainRun(runner, work, db, datasets.get(warmupSpec), real).run();
            }

            if (s.latencyFiles() > 0) {
                new LatencyRun(runner, work, db, s.latencyFiles(), s.latencyRate(), "keep").run();
                // processed files deleted once their day is final: the source's state stays bounded
                new LatencyRun(runner, work, db, Math.min(s.latencyFiles(), 240), s.latencyRate(), "delete").run();
            }
            StateSize.report();

            System.out.printf("%nThe benchmark took %.1f minutes.%n", (System.nanoTime() - benchStart) / 60e9);
            System.out.println();
            System.out.flush();
            PrintStream utf8 = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            utf8.println(report.markdown()); // its × whatever the locale
            utf8.println();
            utf8.println(report.resultLine());
        }
    }

    private static Dataset.Spec realShaped(int files, long seed) {
        return new Dataset.Spec("real", files, REAL_ROWS, Dataset.START, seed);
    }

    /** Runs each engine {@code repeat} times on {@code data}, interleaved, from the page cache; returns their summaries. */
    private static Map<String, Summary> runEngines(Engines runner, List<String> engines, Dataset data, int repeat)
            throws Exception {
        data.warmPageCache();
        Map<String, List<Engines.Run>> runs = new LinkedHashMap<>();
        engines.forEach(e -> runs.put(e, new ArrayList<>()));
        for (int r = 1; r <= repeat; r++) {
            for (String engine : engines) {
                Engines.Run run = runner.run(engine, data.dir, data.expected);
                runs.get(engine).add(run);
                System.out.printf(
                        "  run %d/%d %-9s %8.2f s %,9.0f files/s %,12.0f events/s  peak heap %,6d MiB  peak RSS %,6d MiB  %s%n",
                        r,
                        repeat,
                        engine,
                        run.elapsedMs() / 1000.0,
                        data.files() * 1000.0 / run.elapsedMs(),
                        data.events * 1000.0 / run.elapsedMs(),
                        run.peakHeapMb(),
                        run.peakRssMb(),
                        run.agrees() ? "counts exact" : "COUNTS DIFFER");
            }
        }
        Map<String, Summary> summaries = new LinkedHashMap<>();
        runs.forEach((engine, list) -> summaries.put(engine, Summary.of(engine, list, data)));
        return summaries;
    }

    private static void printTable(Map<String, Summary> summaries) {
        System.out.printf(
                "%-9s %10s %10s %14s %9s %14s %13s %6s%n",
                "engine", "median s", "files/s", "events/s", "vs job", "peak heap MiB", "peak RSS MiB", "agree");
        double jobFps = summaries.containsKey("job") ? summaries.get("job").fps() : Double.NaN;
        summaries.forEach((engine, m) -> System.out.printf(
                "%-9s %10.2f %,10.0f %,14.0f %8.2fx %,14d %,13d %6s%n",
                engine, m.medianMs() / 1000.0, m.fps(), m.eps(), jobFps / m.fps(), m.heapMb(), m.rssMb(), m.agrees()));
        System.out.println("(vs job: how many times faster the job is than the engine)");
    }

    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().collect(Collectors.toList());
        return sorted.get(sorted.size() / 2);
    }

    /** An engine's repeated runs on a dataset: medians, throughput at the median time, and whether every run was exact. */
    record Summary(String engine, Dataset data, long medianMs, long heapMb, long rssMb, boolean agrees) {
        static Summary of(String engine, List<Engines.Run> runs, Dataset data) {
            return new Summary(
                    engine,
                    data,
                    median(runs.stream().map(Engines.Run::elapsedMs).collect(Collectors.toList())),
                    median(runs.stream().map(Engines.Run::peakHeapMb).collect(Collectors.toList())),
                    median(runs.stream().map(Engines.Run::peakRssMb).collect(Collectors.toList())),
                    runs.stream().allMatch(Engines.Run::agrees));
        }

        double eps() {
            return data.events * 1000.0 / medianMs;
        }

        double fps() {
            return data.files() * 1000.0 / medianMs;
        }
    }

    /** Everything measured, for the closing markdown tables and the RESULT line. */
    private static final class Report {
        Dataset bigData;
        Map<String, Summary> big = Map.of();
        Dataset realData;
        Map<String, Summary> real = Map.of();
        ReadFloor.Result floor;
        List<Summary> scale = new ArrayList<>();
        DrainRun.Result drain;

        boolean agree() {
            return big.values().stream().allMatch(Summary::agrees)
                    && real.values().stream().allMatch(Summary::agrees)
                    && scale.stream().allMatch(Summary::agrees)
                    && (drain == null || drain.agrees());
        }

        String resultLine() {
            return String.format(
                    "RESULT events=%d job_eps=%d flinksql_eps=%d duckdb_eps=%d spark_eps=%d real_files=%d real_events=%d"
                            + " job_real_fps=%d flinksql_real_fps=%d duckdb_real_fps=%d spark_real_fps=%d floor_fps=%d drain_fps=%d"
                            + " job_rss_mb=%d job_scale_fps=%s job_scale_rss_mb=%s agree=%s",
                    bigData.events,
                    rate(big, "job", false),
                    rate(big, "flinksql", false),
                    rate(big, "duckdb", false),
                    rate(big, "spark", false),
                    realData == null ? 0 : realData.files(),
                    realData == null ? 0 : realData.events,
                    rate(real, "job", true),
                    rate(real, "flinksql", true),
                    rate(real, "duckdb", true),
                    rate(real, "spark", true),
                    floor == null ? 0 : Math.round(floor.filesPerSecond()),
                    drain == null ? 0 : Math.round(drain.filesPerSecond()),
                    real.containsKey("job") ? real.get("job").rssMb() : 0,
                    perScale(m -> String.valueOf(Math.round(m.fps()))),
                    perScale(m -> String.valueOf(m.rssMb())),
                    agree());
        }

        private static long rate(Map<String, Summary> summaries, String engine, boolean files) {
            Summary m = summaries.get(engine);
            return m == null ? 0 : Math.round(files ? m.fps() : m.eps());
        }

        private String perScale(java.util.function.Function<Summary, String> value) {
            return scale.isEmpty()
                    ? "none"
                    : scale.stream()
                            .map(m -> m.data().files() + ":" + value.apply(m))
                            .collect(Collectors.joining(","));
        }

        /** The tables, ready to paste into the README. */
        String markdown() {
            StringBuilder md = new StringBuilder("Summary (markdown):\n\n");
            md.append(String.format(
                    "Big files: %s events in %s files of %s rows, %s of them `%s`.%n%n",
                    n(bigData.events),
                    n(bigData.files()),
                    n(bigData.events / Math.max(1, bigData.files())),
                    n(bigData.matching),
                    DataGenerator.REFERENCE_USER_AGENT));
            engineTable(md, big);
            if (realData != null) {
                md.append(String.format(
                        "%nReal-shaped files: %s files of %s events (%s events, full schema, %d days)",
                        n(realData.files()), REAL_ROWS, n(realData.events), Dataset.DAYS));
                if (floor != null) {
                    md.append(String.format(
                            ", %s KB each, %s KB of it footer",
                            n(Math.round(floor.fileBytes() / 1e3)), n(Math.round(floor.footerBytes() / 1e3))));
                }
                md.append(".\n\n");
                engineTable(md, real);
                double jobFps = real.containsKey("job") ? real.get("job").fps() : Double.NaN;
                if (floor != null) {
                    md.append(String.format(
                            "| read floor (footer + user-agent chunk, %d threads) | %.3f s | %s | %s | %s | | | |%n",
                            Engines.PARALLELISM,
                            floor.medianNanos() / 1e9,
                            n(Math.round(floor.filesPerSecond())),
                            n(Math.round(floor.filesPerSecond() * realData.events / realData.files())),
                            times(jobFps / floor.filesPerSecond())));
                }
                if (drain != null) {
                    md.append(String.format(
                            "| this job, warm, watching: backlog dropped at once | %s | %s | %s | %s | | %s | %s |%n",
                            drain.agrees() ? String.format("%.2f s", drain.drainNanos() / 1e9) : "–",
                            n(Math.round(drain.filesPerSecond())),
                            n(Math.round(drain.filesPerSecond() * realData.events / realData.files())),
                            "–",
                            mib(drain.peakRssMb()),
                            drain.agrees() ? "exact" : "**not reached**"));
                }
            }
            if (!scale.isEmpty()) {
                md.append("\nScaling, this job bounded on real-shaped files:\n\n");
                md.append("| files | events | median time | files/s | events/s | peak heap | peak RSS | counts |\n");
                md.append("|---:|---:|---:|---:|---:|---:|---:|---|\n");
                for (Summary m : scale) {
                    md.append(String.format(
                            "| %s | %s | %.2f s | %s | %s | %s | %s | %s |%n",
                            n(m.data().files()),
                            n(m.data().events),
                            m.medianMs() / 1000.0,
                            n(Math.round(m.fps())),
                            n(Math.round(m.eps())),
                            mib(m.heapMb()),
                            mib(m.rssMb()),
                            m.agrees() ? "exact" : "**differ**"));
                }
            }
            return md.toString().stripTrailing();
        }

        private static void engineTable(StringBuilder md, Map<String, Summary> summaries) {
            md.append(
                    "| engine | median time | files/s | events/s | job is faster by | peak heap | peak RSS | counts |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
            double jobFps = summaries.containsKey("job") ? summaries.get("job").fps() : Double.NaN;
            summaries.forEach((engine, m) -> md.append(String.format(
                    "| %s | %.2f s | %s | %s | %s | %s | %s | %s |%n",
                    Engines.label(engine),
                    m.medianMs() / 1000.0,
                    n(Math.round(m.fps())),
                    n(Math.round(m.eps())),
                    times(jobFps / m.fps()),
                    mib(m.heapMb()),
                    mib(m.rssMb()),
                    m.agrees() ? "exact" : "**differ**")));
        }

        /** A ratio: two decimals, or two significant digits below 0.1 (the job against the floor). */
        private static String times(double ratio) {
            return Double.isNaN(ratio)
                    ? "–"
                    : ratio >= 0.1 ? String.format("%.2f×", ratio) : String.format("%.2g×", ratio);
        }

        /** A number as the README writes it: thousands separated by spaces. */
        private static String n(long value) {
            return String.format("%,d", value).replace(',', ' ');
        }

        private static String mib(long value) {
            return value < 0 ? "–" : n(value) + " MiB";
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
