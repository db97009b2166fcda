package org.impressionsclicks.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.impressionsclicks.model.EventKind.CLICK;
import static org.impressionsclicks.model.EventKind.IMPRESSION;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.impressionsclicks.ImpressionsClicksJob;
import org.impressionsclicks.RestJobMetrics;
import org.impressionsclicks.config.DatabaseSettings;
import org.impressionsclicks.config.JobConfig;
import org.impressionsclicks.postgres.LocalPostgres;
import org.impressionsclicks.testing.Await;
import org.impressionsclicks.testing.DailyOutputs;
import org.impressionsclicks.testing.EventFiles;
import org.impressionsclicks.testing.HourlyRows;
import org.impressionsclicks.testing.Jobs;
import org.impressionsclicks.testing.MiniClusters;
import org.impressionsclicks.testing.PostgresDatabase;
import org.impressionsclicks.testing.PostgresExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing doubled: a savepoint stop and restart, a TaskManager killed mid-stream and a
 * PostgreSQL outage, each followed by exact counts in PostgreSQL and the CSVs.
 */
@ExtendWith(PostgresExtension.class)
class FaultToleranceITCase {

    /** Two TaskManagers, so that one can be killed and the job recovers on the other. */
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(2)
                    .setNumberSlotsPerTaskManager(MiniClusters.PARALLELISM)
                    .build());

    private static final String TABLE = "csv_data_task";
    private static final String HEADER = "date,hour,impression_count,click_count\n";

    @TempDir
    Path staging;

    @TempDir
    Path input;

    @TempDir
    Path output;

    @TempDir
    Path savepoints;

    private EventFiles files;
    private JobClient job;
    private final PostgresDatabase db;
    private final RestJobMetrics metrics;

    FaultToleranceITCase(PostgresDatabase db, @InjectClusterClient ClusterClient<?> cluster) {
        this.db = db;
        this.metrics = new RestJobMetrics(cluster.getWebInterfaceURL());
    }

    @BeforeEach
    void setUp() throws Exception {
        files = new EventFiles(staging);
        HourlyRows.drop(db, TABLE);
    }

    @AfterEach
    void cancel() throws Exception {
        if (job != null && !job.getJobStatus().get().isTerminalState()) {
            Jobs.cancel(job);
        }
    }

    private JobClient start(DatabaseSettings database, Configuration flinkConfig, String... extra) throws Exception {
        String[] args = new String[extra.length + 8];
        System.arraycopy(
                new String[] {
                    "--monitor-interval",
                    "100 ms",
                    "--out-of-orderness",
                    "0 s",
                    "--idle-timeout",
                    "1 s",
                    "--jdbc-max-retries",
                    "0"
                },
                0,
                args,
                0,
                8);
        System.arraycopy(extra, 0, args, 8, extra.length);
        JobConfig config = Jobs.config(input, output, args);
        MiniClusters.restartQuickly(flinkConfig);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfig);
        env.setParallelism(MiniClusters.PARALLELISM);
        env.enableCheckpointing(300);
        ImpressionsClicksJob.build(env, config.withDatabase(database));
        return env.executeAsync(ImpressionsClicksJob.JOB_NAME);
    }

    private DatabaseSettings shared() {
        return Jobs.config(input, output).databaseDefaults.withUrl(db.jdbcUrl(), db.user());
    }

    /** How often the running job has restarted so far (its {@code numRestarts}, as the web UI shows it). */
    private long restarts() throws Exception {
        return metrics.job(job.getJobID(), "numRestarts").orElse(0);
    }

    private void awaitRows(PostgresDatabase database, List<String> rows) throws Exception {
        Await.until(Duration.ofSeconds(60), "rows " + rows, () -> {
            try {
                return HourlyRows.read(database, TABLE).equals(rows);
            } catch (java.sql.SQLException e) {
                return false; // the database is down
            }
        });
    }

    @Test
    void stopWithSavepointAndRestartReadsNoFileTwice() throws Exception {
        job = start(shared(), new Configuration());
        files.drop(input, IMPRESSION, "2022-05-26T11:32:12.045", 4, 1);
        files.drop(input, IMPRESSION, "2022-05-26T19:32:04.695", 7, 1);
        awaitRows(db, List.of("2022-05-26T11:00,4,0", "2022-05-26T19:00,7,0"));

        String savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get();
        files.drop(input, IMPRESSION, "2022-05-26T19:32:04.903", 3, 1); // arrives while the job is down

        // the same job graph with a compatible change of configuration (another out-of-orderness and lateness)
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        job = start(shared(), restore, "--allowed-lateness", "2 d");
        awaitRows(db, List.of("2022-05-26T11:00,4,0", "2022-05-26T19:00,10,0"));
        files.drop(input, CLICK, "2022-05-27T11:31:45.108", 5, 1);
        awaitRows(db, List.of("2022-05-26T11:00,4,0", "2022-05-26T19:00,10,0", "2022-05-27T11:00,0,5"));
        Await.until(
                Duration.ofSeconds(30),
                "the CSV of 2022-05-26",
                () -> (HEADER + "2022-05-26,11,4,0\n2022-05-26,19,10,0\n")
                        .equals(DailyOutputs.currentCsvs(output).get("2022-05-26")));
        assertThat(DailyOutputs.finishedFiles(output).get("2022-05-26")).hasSize(1);
    }

    @Test
    void aKilledTaskManagerLosesAndDoublesNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        job = start(shared(), new Configuration());
        for (int minute = 0; minute < 20; minute++) {
            files.drop(
                    input,
                    minute % 2 == 0 ? IMPRESSION : CLICK,
                    String.format("2022-05-26T10:%02d:00.000", minute),
                    1,
                    1);
        }
        cluster.terminateTaskManager(0).get();
        for (int minute = 20; minute < 40; minute++) {
            files.drop(
                    input,
                    minute % 2 == 0 ? IMPRESSION : CLICK,
                    String.format("2022-05-26T10:%02d:00.000", minute),
                    1,
                    1);
        }
        files.drop(input, IMPRESSION, "2022-05-27T00:10:00.000", 1, 0);
        awaitRows(db, List.of("2022-05-26T10:00,20,20", "2022-05-27T00:00,1,0"));
        Await.until(
                Duration.ofSeconds(60),
                "the CSV of 2022-05-26",
                () -> (HEADER + "2022-05-26,10,20,20\n")
                        .equals(DailyOutputs.currentCsvs(output).get("2022-05-26")));
        cluster.startTaskManager();
    }

    @Test
    void aPostgresOutageDelaysTheRowsButLosesNone(@TempDir Path pgRoot) throws Exception {
        Files.setPosixFilePermissions(pgRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (LocalPostgres server = LocalPostgres.start(pgRoot.resolve("data"), 0)) {
            server.ensureDatabase("outage");
            PostgresDatabase own = new PostgresDatabase(server.jdbcUrl("outage"), LocalPostgres.USER, null);
            job = start(shared().withUrl(own.jdbcUrl(), own.user()), new Configuration());
            files.drop(input, CLICK, "2022-05-26T10:00:00.000", 2, 0);
            awaitRows(own, List.of("2022-05-26T10:00,0,2"));

            server.stop();
            files.drop(input, CLICK, "2022-05-26T10:10:00.000", 3, 0);
            files.drop(input, IMPRESSION, "2022-05-26T11:10:00.000", 4, 0);
            // the job fails over and restarts against the missing server meanwhile: it fails again (the files'
            // rows were never flushed, so they come again from the last checkpoint) and restarts once more
            Await.until(Duration.ofSeconds(60), "2 restarts while PostgreSQL is down", () -> restarts() >= 2);
            LocalPostgres again = LocalPostgres.start(pgRoot.resolve("data"), server.port());
            try {
                files.drop(input, IMPRESSION, "2022-05-26T11:20:00.000", 1, 0);
                awaitRows(own, List.of("2022-05-26T10:00,0,5", "2022-05-26T11:00,5,0"));
            } finally {
                Jobs.cancel(job);
                job = null;
                again.close();
            }
        }
    }
}
