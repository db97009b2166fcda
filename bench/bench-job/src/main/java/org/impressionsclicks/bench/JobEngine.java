package org.impressionsclicks.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.impressionsclicks.EmbeddedCluster;
import org.impressionsclicks.ImpressionsClicksJob;
import org.impressionsclicks.config.CommandLine;
import org.impressionsclicks.config.JobConfig;

/**
 * The job as a benchmark engine: a bounded run (backfill) on an embedded cluster, end to end:
 * Parquet files to the daily CSVs (FileSink) and the hourly upserts into PostgreSQL. The result is
 * read back from the CSVs and must equal the table.
 *
 * <p>{@code JobEngine --input DIR --user-agent UA --out FILE --jdbc-url URL --jdbc-user USER [--parallelism N]}
 *
 * <p>With {@code --checkpoint-dir DIR --web-port N} it runs the job watching the folder instead
 * (the latency, drain and state-size measurements), until the process is stopped; {@code --processed}
 * is passed on to the job. {@code --output DIR} is where the daily CSVs go (a temporary folder, deleted
 * after a bounded run, when not given).
 */
public final class JobEngine {

    private JobEngine() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = EngineReport.options(args);
        Path csvs = o.containsKey("output")
                ? Files.createDirectories(Path.of(o.get("output")))
                : Files.createTempDirectory("bench-job-output");
        BenchDatabase.dropTables(o.get("jdbc-url"), o.get("jdbc-user"));
        long start = System.nanoTime();
        boolean streaming = o.containsKey("checkpoint-dir");
        // the embedded cluster as the launcher configures and starts it where conf/ is silent
        Configuration flink = new Configuration();
        flink.set(CoreOptions.DEFAULT_PARALLELISM, Integer.parseInt(o.getOrDefault("parallelism", "2")));
        if (streaming) {
            // the latency run: the job's defaults, checkpoints on disk so their size can be measured
            flink.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    Path.of(o.get("checkpoint-dir")).toUri().toString());
            flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
            flink.set(RestOptions.PORT, Integer.parseInt(o.get("web-port")));
        }
        EmbeddedCluster cluster = EmbeddedCluster.start(flink);
        JobConfig config = JobConfig.from(
                CommandLine.parse(
                                new String[] {
                                    "--input",
                                    o.get("input"),
                                    "--output",
                                    csvs.toString(),
                                    "--user-agent",
                                    o.get("user-agent"),
                                    "--bounded=" + !streaming,
                                    "--jdbc-url",
                                    o.get("jdbc-url"),
                                    "--jdbc-user",
                                    o.get("jdbc-user"),
                                    "--jdbc-table",
                                    BenchDatabase.TABLE,
                                    "--audit-table",
                                    BenchDatabase.AUDIT_TABLE,
                                    "--processed",
                                    o.getOrDefault("processed", "keep"),
                                },
                                new Configuration())
                        .configuration(),
                System.getenv());
        try (cluster) {
            // a watching run (latency, drain, state size) runs until the runner stops this process
            ImpressionsClicksJob.execute(cluster.environment(), config);
        }
        if (streaming) {
            return;
        }
        SortedMap<String, long[]> fromCsv = readCsvs(csvs);
        SortedMap<String, long[]> fromTable = readTable(o.get("jdbc-url"), o.get("jdbc-user"));
        if (!EngineReport.same(fromCsv, fromTable)) {
            System.err.println("JobEngine: the daily CSVs and table " + BenchDatabase.TABLE + " disagree");
            System.exit(1);
        }
        EngineReport.finish("job", start, fromCsv, -1, Path.of(o.get("out")));
        Benchmark.deleteRecursively(csvs);
    }

    private static SortedMap<String, long[]> readCsvs(Path dir) throws IOException {
        SortedMap<String, long[]> counts = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))::iterator) {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("date,")) {
                        continue;
                    }
                    String[] f = line.split(",");
                    long[] previous =
                            counts.put(f[0] + "T" + f[1], new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
                    if (previous != null) {
                        throw new IllegalStateException("two rows for hour " + f[0] + "T" + f[1] + " in " + dir);
                    }
                }
            }
        }
        return counts;
    }

    private static SortedMap<String, long[]> readTable(String url, String user) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, null);
                Statement s = c.createStatement()) {
            return BenchDatabase.readHours(s);
        }
    }
}
