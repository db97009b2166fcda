package org.impressionsclicks;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.PluginUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.impressionsclicks.config.CommandLine;
import org.impressionsclicks.config.ConfigException;
import org.impressionsclicks.config.DatabaseSettings;
import org.impressionsclicks.config.JobConfig;
import org.impressionsclicks.config.JobOptions;
import org.impressionsclicks.config.LauncherConfig;
import org.impressionsclicks.config.LocalFolders;
import org.impressionsclicks.config.LocalPaths;
import org.impressionsclicks.generate.GenerateCommand;
import org.impressionsclicks.job.FileMetricsFilter;
import org.impressionsclicks.postgres.LocalPostgres;
import org.impressionsclicks.postgres.LocalPostgresException;
import org.impressionsclicks.sink.DatabaseUnavailableException;
import org.impressionsclicks.source.EventFileEnumerator;
import org.impressionsclicks.util.Throwables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local launcher behind {@code ./impressions-clicks}: {@code run} starts the job on an embedded
 * Flink cluster (MiniCluster) with the web UI; {@code generate} writes sample data.
 *
 * <p>Exit codes: 0 success, 1 the job or its database failed, 2 bad options, 3 a bounded run
 * finished but rejected some files (every other file was counted).
 */
public final class ImpressionsClicks {

    static final String SYNOPSIS = "usage: impressions-clicks run [options]\n"
            + "       impressions-clicks generate --out DIR --files N --rows-per-file M|MIN-MAX [options]   (see generate --help)\n"
            + "       impressions-clicks bench [options]   (the benchmark; see bench --help)";
    private static final Logger LOG = LoggerFactory.getLogger(ImpressionsClicks.class);
    static final int EXIT_REJECTED_FILES = 3;
    private static final String EMBEDDED_DATABASE = "impressions_clicks";
    /** How often a watching run's status line (or a backfill's progress line off a terminal) may appear. */
    static final Duration STATUS_INTERVAL = Duration.ofSeconds(5);
    /** How fresh the metrics behind those lines are (Flink's default is 10 s). */
    private static final Duration METRICS_REFRESH = Duration.ofSeconds(1);

    private ImpressionsClicks() {}

    public static void main(String[] args) {
        System.exit(dispatch(args));
    }

    static int dispatch(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            System.out.println(CommandLine.usage(SYNOPSIS));
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "run":
                return run(rest);
            case "generate":
                return GenerateCommand.run(rest);
            default:
                System.err.println(
                        "impressions-clicks: unknown command '" + args[0] + "' (run, generate, bench; see --help)");
                return 2;
        }
    }

    static int run(String[] args) {
        long started = System.nanoTime();
        Configuration flinkConfig;
        JobConfig config;
        LauncherConfig launcher;
        int webPort;
        try {
            flinkConfig = loadConfDir(CommandLine.confDir(args, "conf"));
            CommandLine cli = CommandLine.parse(args, flinkConfig);
            if (cli.help()) {
                System.out.println(CommandLine.usage(SYNOPSIS));
                return 0;
            }
            config = JobConfig.from(cli.configuration(), System.getenv());
            launcher = LauncherConfig.from(cli.configuration());
            LocalFolders.check(config);
            webPort = WebPort.choose(
                    launcher.webPort, cli.configuration().contains(JobOptions.WEB_PORT) || !config.bounded);
        } catch (ConfigException e) {
            System.err.println("impressions-clicks: " + e.getMessage());
            return 2;
        }
        EmbeddedPostgres embedded = null;
        EmbeddedCluster cluster = null;
        try {
            DatabaseSettings db = config.database;
            if (config.noDb) {
                System.out.println("PostgreSQL: none (--no-db); writing CSV only");
            } else if (db != null) {
                System.out.println("PostgreSQL: " + db);
            } else if (LocalPostgres.findBinaries().isEmpty()) {
                System.out.println("PostgreSQL: none configured and no PostgreSQL server binaries found; "
                        + "writing CSV only (set --jdbc-url to load a database)");
            } else {
                // starts in the background while the cluster is prepared; its line comes once it is up
                embedded = EmbeddedPostgres.start(Path.of(launcher.embeddedPostgresDir), EMBEDDED_DATABASE);
            }
            String restUrl = "http://127.0.0.1:" + webPort;
            flinkConfig.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
            flinkConfig.set(RestOptions.ADDRESS, "127.0.0.1");
            flinkConfig.set(RestOptions.PORT, webPort);
            flinkConfig.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, METRICS_REFRESH);
            // Flink's file systems with the plugins of $FLINK_PLUGINS_DIR (the launcher's: the S3 file system), as a
            // cluster's processes start: s3:// input, output and checkpoints, configured by the s3.* keys of conf/.
            // A run on local folders only does without them (loading the S3 plugin takes some 200 ms).
            FileSystem.initialize(
                    flinkConfig,
                    pathsOf(config, flinkConfig).allMatch(LocalPaths::isLocal)
                            ? null
                            : PluginUtils.createPluginManagerFromRootFolder(flinkConfig));
            // the cluster starts while the input is counted, PostgreSQL comes up and the job is built
            cluster = EmbeddedCluster.start(flinkConfig);
            long totalFiles = config.bounded ? countInputFiles(config) : 0;
            if (embedded != null) {
                config = config.withDatabaseAt(embedded.await().jdbcUrl(EMBEDDED_DATABASE), LocalPostgres.USER);
                db = config.database;
                System.out.println("PostgreSQL: none configured; started an embedded PostgreSQL at " + db.url()
                        + " (data in " + launcher.embeddedPostgresDir + ", stopped when the job ends)");
            }
            System.out.println("Flink web UI: " + restUrl + " (input " + config.input + ", output " + config.output
                    + (config.bounded
                            ? ", bounded: " + String.format("%,d", totalFiles) + " files)"
                            : ", watching; Ctrl-C stops)"));
            StreamExecutionEnvironment env = cluster.environment();
            ImpressionsClicksJob.build(env, config);
            JobClient job = env.executeAsync(ImpressionsClicksJob.JOB_NAME);
            boolean terminal = System.console() != null;
            JobExecutionResult result;
            try (RunReporter reporter = RunReporter.start(
                    job.getJobID(),
                    new RestJobMetrics(restUrl),
                    System.out,
                    config.bounded,
                    totalFiles,
                    terminal,
                    config.bounded && terminal ? Duration.ofSeconds(1) : STATUS_INTERVAL)) {
                result = job.getJobExecutionResult().get();
            }
            System.out.println(RunReporter.summary(result, Duration.ofNanos(System.nanoTime() - started)));
            System.out.println("Output: daily CSVs under " + config.output
                    + (db == null ? "" : ", hourly totals in table " + db.table()));
            Long rejected = result.getAccumulatorResult(FileMetricsFilter.REJECTED_ACCUMULATOR);
            if (rejected != null && rejected > 0) {
                System.err.println("impressions-clicks: " + rejected + " file(s) rejected (see the warnings"
                        + (db == null ? "" : " and table " + db.auditTable()) + "); every other file was counted");
                return EXIT_REJECTED_FILES;
            }
            return 0;
        } catch (DatabaseUnavailableException | LocalPostgresException e) {
            System.err.println("impressions-clicks: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            if (ExceptionUtils.findThrowable(e, BindException.class).isPresent()) {
                System.err.println("impressions-clicks: " + WebPort.taken(webPort));
                return 2;
            }
            LOG.error("Job failed", e);
            System.err.println(
                    "impressions-clicks: job failed: " + Throwables.rootMessage(e) + " (details in the log)");
            return 1;
        } finally {
            if (cluster != null) {
                closeQuietly(cluster);
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** Stops a cluster that its job did not stop (a run that failed before its job was submitted). */
    private static void closeQuietly(EmbeddedCluster cluster) {
        try {
            cluster.close();
        } catch (Exception e) {
            LOG.warn("The embedded cluster did not shut down cleanly", e);
        }
    }

    /** Every path a run reads or writes: input, output, archive, checkpoints and savepoints. */
    private static Stream<String> pathsOf(JobConfig config, Configuration flinkConfig) {
        return Stream.of(
                        config.input,
                        config.output,
                        config.archiveDir,
                        flinkConfig.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY),
                        flinkConfig.get(CheckpointingOptions.SAVEPOINT_DIRECTORY))
                .filter(Objects::nonNull);
    }

    /** The files a backfill of {@code config} reads: what the source's enumerator lists. */
    private static long countInputFiles(JobConfig config) throws IOException {
        return new EventFileEnumerator(config.dates)
                .enumerateSplits(
                        new org.apache.flink.core.fs.Path[] {new org.apache.flink.core.fs.Path(config.input)}, 1)
                .size();
    }

    private static Configuration loadConfDir(String dir) {
        if (!Path.of(dir, GlobalConfiguration.FLINK_CONF_FILENAME).toFile().isFile()) {
            if (dir.equals("conf")) {
                return new Configuration();
            }
            throw new ConfigException(
                    "invalid value for --conf-dir: no " + GlobalConfiguration.FLINK_CONF_FILENAME + " in " + dir);
        }
        return GlobalConfiguration.loadConfiguration(dir);
    }
}
