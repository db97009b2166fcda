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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "-Djdk.reflect.useDirectMethodHandle=false", "-Dio.netty.tryReflectionSetAccessible=true");

    /** The launcher's JVM options for {@code --bounded}, but for its class-data archive. */
    private static final List<String> JOB_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms32m");

    /** An engine: the bench module holding it, its main class, and what the tables call it. */
    private record Engine(String module, String mainClass, String label) {}

    private static final Map<String, Engine> ENGINES = new LinkedHashMap<>();

    static {
        ENGINES.put("job", new Engine("bench-job", JobEngine.class.getName(), "**this job** (bounded, CSV + PostgreSQL)"));
        ENGINES.put("flinksql", new Engine("engine-flinksql", "org.impressionsclicks.bench.FlinkSqlEngine",
                "Flink SQL (batch, filesystem + parquet)"));
        ENGINES.put("duckdb", new Engine("engine-duckdb", "org.impressionsclicks.bench.DuckDbEngine",
                "DuckDB (`read_parquet`, " + PARALLELISM + " threads)"));
        ENGINES.put("spark", new Engine("engine-spark", "org.impressionsclicks.bench.SparkEngine", "Spark local[" + PARALLELISM + "]"));
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

    Engines(Path home, Path work, BenchDatabase db) {
        this.home = home;
        this.work = work;
        this.db = db;
    }

    Run run(String name, Path input, Map<String, long[]> expected) throws IOException, InterruptedException {
        Path out = work.resolve("result-" + name + ".csv");
        Files.deleteIfExists(out);
        List<String> output = new ArrayList<>();
        Process process = start(name, List.of("--input", input.toString(), "--user-agent", DataGenerator.REFERENCE_USER_AGENT,
                "--out", out.toString(), "--parallelism", String.valueOf(PARALLELISM)), output);
        int exit = process.waitFor();
        Matcher m = output.stream().map(RESULT::matcher).filter(Matcher::find).findFirst().orElse(null);
        if (exit != 0 || m == null) {
            throw new IllegalStateException("engine " + name + " failed (exit " + exit + "):\n  " + String.join("\n  ", tail(output)));
        }
        return new Run(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), EngineReport.same(EngineReport.readResult(out), expected));
    }

    /** Starts engine {@code name} with {@code args}; its output lines are collected into {@code output}. */
    Process start(String name, List<String> args, List<String> output) throws IOException {
        Engine engine = ENGINES.get(name);
        if (engine == null) {
            throw new IllegalArgumentException("unknown engine " + name + " (known: " + ENGINES.keySet() + ")");
        }
        Path target = home.resolve("bench").resolve(engine.module()).resolve("target");
        Path classpathFile = target.resolve("classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException("engine " + name + " is not built: no " + classpathFile);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP_MB + "m"));
        // The job runs as ./impressions-clicks runs a backfill (C1 only, the serial collector from a
        // small heap; see README "Fixed costs of a backfill"), the others with the parallel collector.
        command.addAll(name.equals("job") ? JOB_OPTIONS : List.of("-XX:+UseParallelGC"));
        // the Java 17 flags of Flink, from the file the launcher, bin/ and the tests use; then Spark's extras
        command.add("@" + home.resolve("conf/jvm-java17.args"));
        command.addAll(SPARK_OPTIONS);
        command.add("-Dlog4j.configurationFile=" + home.resolve("bench/bench-job/src/main/resources/log4j2-bench.properties"));
        command.addAll(List.of("-cp", target.resolve("classes") + ":" + Files.readString(classpathFile).trim(), engine.mainClass()));
        command.addAll(args);
        if (name.equals("job")) {
            command.addAll(List.of("--jdbc-url", db.url, "--jdbc-user", db.user));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // everything on 127.0.0.1
        Process process = builder.start();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "engine-output-" + name);
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
