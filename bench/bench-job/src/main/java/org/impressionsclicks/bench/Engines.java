package org.impressionsclicks.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.annotation.Nullable;
import org.impressionsclicks.generate.DataGenerator;

/**
 * Runs one engine over a dataset in a JVM of its own, with that engine's own classpath (the
 * engines' dependencies — Flink's table planner, DuckDB, Spark with its Hadoop and Parquet — would
 * clash in one), the same heap limit and the same JVM options.
 */
final class Engines {

    static final int HEAP_MB = 6144;
    /** Every engine's parallelism (threads, slots, Spark's local[n]); the read floor uses as many threads. */
    static final int PARALLELISM = 2;

    private static final Pattern RESULT = Pattern.compile(
            "^ENGINE_RESULT engine=(\\S+) elapsed_ms=(\\d+) peak_heap_mb=(\\d+) peak_rss_mb=(-?\\d+) rows=(-?\\d+)");
    /**
     * What Spark's launcher adds on Java 17 beyond Flink's openings of JDK internals, which every
     * engine gets from the launcher's file of them (see {@link #start}).
     */
    private static final List<String> SPARK_OPTIONS = List.of(
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true");

    /** The environment variable whose JVM options the job's JVMs get last (IC_JAVA_OPTS of the launcher). */
    static final String JOB_JAVA_OPTS = "IC_BENCH_JOB_OPTS";

    /** An engine: the bench module holding it, its main class, and what the tables call it. */
    private record Engine(String module, String mainClass, String label) {}

    private static final Map<String, Engine> ENGINES = new LinkedHashMap<>();

    static {
        ENGINES.put(
                "job", new Engine("bench-job", JobEngine.class.getName(), "**this job** (bounded, CSV + PostgreSQL)"));
        ENGINES.put(
                "flinksql",
                new Engine(
                        "engine-flinksql",
                        "org.impressionsclicks.bench.FlinkSqlEngine",
                        "Flink SQL (batch, filesystem + parquet)"));
        ENGINES.put(
                "duckdb",
                new Engine(
                        "engine-duckdb",
                        "org.impressionsclicks.bench.DuckDbEngine",
                        "DuckDB (`read_parquet`, " + PARALLELISM + " threads)"));
        ENGINES.put(
                "spark",
                new Engine(
                        "engine-spark", "org.impressionsclicks.bench.SparkEngine", "Spark local[" + PARALLELISM + "]"));
    }

    /** The engines' names, in the order the tables and the RESULT line list them. */
    static final List<String> NAMES = List.copyOf(ENGINES.keySet());

    /** What the summary tables call engine {@code name}. */
    static String label(String name) {
        return ENGINES.get(name).label();
    }

    /** One run's measurements. */
    record Run(long elapsedMs, long peakHeapMb, long peakRssMb, boolean agrees) {}

    private final Path home;
    private final Path work;
    private final BenchDatabase db;
    /** The launcher's JVM options for {@code run} watching a folder. */
    private final List<String> watchingOptions;
    /** The launcher's JVM options for {@code run --bounded}, its class-data archive aside. */
    private final List<String> backfillOptions;

    Engines(Path home, Path work, BenchDatabase db) throws IOException, InterruptedException {
        this.home = home;
        this.work = work;
        this.db = db;
        watchingOptions = launcherJvmOptions("--watching");
        backfillOptions = Stream.concat(
                        launcherJvmOptions("--bounded").stream(), Stream.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off"))
                .toList();
    }

    /**
     * The JVM options {@code ./impressions-clicks run} gives the job's JVM ({@code bin/jvm-options.sh
     * --bounded|--watching}), with {@link #JOB_JAVA_OPTS} as the launcher's {@code IC_JAVA_OPTS} (a
     * collector there replaces the backfill's).
     */
    private List<String> launcherJvmOptions(String mode) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(
                        "bash", home.resolve("bin/jvm-options.sh").toString(), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        String extra = System.getenv(JOB_JAVA_OPTS);
        if (extra == null) {
            builder.environment().remove("IC_JAVA_OPTS");
        } else {
            builder.environment().put("IC_JAVA_OPTS", extra);
        }
        Process process = builder.start();
        List<String> options;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            options = out.lines().filter(l -> !l.isBlank()).toList();
        }
        if (process.waitFor() != 0 || options.isEmpty()) {
            throw new IOException("bin/jvm-options.sh " + mode + " failed (exit " + process.exitValue() + ")");
        }
        return options;
    }

    Run run(String name, Path input, Map<String, long[]> expected) throws IOException, InterruptedException {
        if (name.equals("job")) {
            runOnceForClassData(input);
        }
        Path out = work.resolve("result-" + name + ".csv");
        Files.deleteIfExists(out);
        List<String> output = new ArrayList<>();
        Process process = start(name, backfillArgs(input, out), output);
        int exit = process.waitFor();
        Matcher m = output.stream()
                .map(RESULT::matcher)
                .filter(Matcher::find)
                .findFirst()
                .orElse(null);
        if (exit != 0 || m == null) {
            throw new IllegalStateException(
                    "engine " + name + " failed (exit " + exit + "):\n  " + String.join("\n  ", tail(output)));
        }
        return new Run(
                Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)),
                EngineReport.same(EngineReport.readResult(out), expected));
    }

    /**
     * Once per build of the job: an untimed backfill of {@code input} that writes the class-data
     * archive at its exit, as the launcher's first run does, so that every timed run maps it.
     */
    private void runOnceForClassData(Path input) throws IOException, InterruptedException {
        Path archive = archivePath(classpath("job"));
        Path failed = archive.resolveSibling(archive.getFileName() + ".failed");
        if (Files.isRegularFile(archive) || Files.exists(failed)) {
            return;
        }
        Files.createDirectories(archive.getParent());
        Path out = work.resolve("result-cds.csv");
        System.out.println(
                "  (the job's class-data archive: one untimed run writes it, as the launcher's first run does)");
        Process process = new ProcessBuilder(command("job", backfillArgs(input, out), archive))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (process.waitFor() != 0 || !Files.isRegularFile(archive)) {
            Files.deleteIfExists(archive);
            System.out.println("  (no class-data archive: the job's runs load their classes from the jars)");
            Files.createFile(failed);
        }
        Files.deleteIfExists(out);
    }

    /** A bounded run's arguments: count {@code input}, write the result to {@code out}. */
    private static List<String> backfillArgs(Path input, Path out) {
        return List.of(
                "--input",
                input.toString(),
                "--user-agent",
                DataGenerator.REFERENCE_USER_AGENT,
                "--out",
                out.toString(),
                "--parallelism",
                String.valueOf(PARALLELISM));
    }

    private Optional<Path> classDataArchive(String classpath) throws IOException {
        Path archive = archivePath(classpath);
        return Files.isRegularFile(archive) ? Optional.of(archive) : Optional.empty();
    }

    /** Named after the classpath's entries, their sizes and times and the JVM, as the launcher's. */
    private Path archivePath(String classpath) throws IOException {
        StringBuilder key = new StringBuilder(System.getProperty("java.home"));
        for (String entry : classpath.split(":")) {
            Path p = Path.of(entry);
            key.append('\n')
                    .append(entry)
                    .append(' ')
                    .append(Files.size(p))
                    .append(' ')
                    .append(Files.getLastModifiedTime(p).toMillis());
        }
        return work.resolve("class-data")
                .resolve("job-" + Integer.toHexString(key.toString().hashCode()) + ".jsa");
    }

    /** The module's jar (a class-data archive takes classes only from jars), else its classes folder. */
    private static Path classes(Path target) throws IOException {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")
                            && !f.getFileName().toString().startsWith("original-"))
                    .findFirst()
                    .orElse(target.resolve("classes"));
        }
    }

    /**
     * The command line of engine {@code name} with {@code args}.
     *
     * @param writeArchive where a backfill of the job writes its class-data archive at exit; null to
     *     map the archive when there is one
     */
    private List<String> command(String name, List<String> args, @Nullable Path writeArchive) throws IOException {
        Engine engine = ENGINES.get(name);
        if (engine == null) {
            throw new IllegalArgumentException("unknown engine " + name + " (known: " + ENGINES.keySet() + ")");
        }
        String classpath = classpath(name);
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + HEAP_MB + "m"));
        if (!name.equals("job")) {
            command.add("-XX:+UseParallelGC");
        } else if (args.contains("--checkpoint-dir")) {
            command.addAll(watchingOptions); // watching, as ./impressions-clicks run does: C1 only
        } else {
            // A backfill runs as ./impressions-clicks runs one (see README "Fixed costs of a backfill"):
            // the options of bin/jvm-options.sh --bounded and a class-data archive of its classes
            // (written by its first run, see runOnceForClassData).
            command.addAll(backfillOptions);
            command.add(
                    writeArchive != null
                            ? "-XX:ArchiveClassesAtExit=" + writeArchive
                            : classDataArchive(classpath)
                                    .map(a -> "-XX:SharedArchiveFile=" + a)
                                    .orElse("-Xshare:auto"));
        }
        // the Java 17 flags of Flink, from the file the launcher, bin/ and the tests use; then Spark's extras
        command.add("@" + home.resolve("conf/jvm-java17.args"));
        command.addAll(SPARK_OPTIONS);
        String extra = System.getenv(JOB_JAVA_OPTS);
        if (name.equals("job") && extra != null && !extra.isBlank()) {
            // a profiler's agent, say; split on spaces, as the launcher's IC_JAVA_OPTS
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.add("-Dlog4j.configurationFile="
                + home.resolve("bench/bench-job/src/main/resources/log4j2-bench.properties"));
        command.addAll(List.of("-cp", classpath, engine.mainClass()));
        command.addAll(args);
        if (name.equals("job")) {
            command.addAll(List.of("--jdbc-url", db.url, "--jdbc-user", db.user));
        }
        return command;
    }

    /** Engine {@code name}'s module jar (or classes) and its dependencies. */
    private String classpath(String name) throws IOException {
        Engine engine = ENGINES.get(name);
        Path target = home.resolve("bench").resolve(engine.module()).resolve("target");
        Path classpathFile = target.resolve("classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException("engine " + name + " is not built: no " + classpathFile);
        }
        return classes(target) + ":" + Files.readString(classpathFile).trim();
    }

    /** Starts engine {@code name} with {@code args}; its output lines are collected into {@code output}. */
    Process start(String name, List<String> args, List<String> output) throws IOException {
        List<String> command = command(name, args, null);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // everything on 127.0.0.1
        Process process = builder.start();
        Thread drain = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = r.readLine(); line != null; line = r.readLine()) {
                            synchronized (output) {
                                output.add(line);
                            }
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                },
                "engine-output-" + name);
        drain.setDaemon(true);
        drain.start();
        return process;
    }

    private static List<String> tail(List<String> lines) {
        synchronized (lines) {
            return new ArrayList<>(lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }
    }
}
