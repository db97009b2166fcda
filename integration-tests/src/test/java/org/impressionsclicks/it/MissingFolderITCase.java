package org.impressionsclicks.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.impressionsclicks.model.EventKind.CLICK;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.impressionsclicks.ImpressionsClicksJob;
import org.impressionsclicks.config.JobConfig;
import org.impressionsclicks.source.MissingInputFolderException;
import org.impressionsclicks.testing.Await;
import org.impressionsclicks.testing.CapturedLogs;
import org.impressionsclicks.testing.EventFiles;
import org.impressionsclicks.testing.HourlyRows;
import org.impressionsclicks.testing.Jobs;
import org.impressionsclicks.testing.MiniClusters;
import org.impressionsclicks.testing.PostgresDatabase;
import org.impressionsclicks.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An input folder that is not there, on a cluster (where the launcher's own check doesn't run):
 * a watching job waits for it with a warning a minute and reads it once it appears; a backfill fails
 * once, naming the folder, instead of restarting into the same missing folder.
 */
@ExtendWith(PostgresExtension.class)
class MissingFolderITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension();

    @TempDir
    Path staging;

    @TempDir
    Path parent;

    @TempDir
    Path output;

    private final PostgresDatabase db;

    MissingFolderITCase(PostgresDatabase db) {
        this.db = db;
    }

    private static StreamExecutionEnvironment env() {
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1000);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(restarts);
        env.setParallelism(MiniClusters.PARALLELISM);
        return env;
    }

    @Test
    void aBackfillOfAMissingFolderFailsOnceNamingItDespiteARestartStrategy() throws Exception {
        Path missing = parent.resolve("not-mounted");
        JobConfig config = Jobs.config(missing, output, "--bounded", "--no-db");
        StreamExecutionEnvironment env = env();
        ImpressionsClicksJob.build(env, config);
        JobClient job = env.executeAsync(ImpressionsClicksJob.JOB_NAME);

        // 1000 restarts a second apart would take a quarter of an hour
        assertThatThrownBy(() -> job.getJobExecutionResult().get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(MissingInputFolderException.class)
                .rootCause()
                .hasMessage("input folder " + missing + " does not exist");
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void aWatchingJobWaitsForItsFolderWarningOnceAMinuteAndReadsItWhenItAppears() throws Exception {
        HourlyRows.drop(db, "csv_data_task");
        HourlyRows.drop(db, "load_audit");
        Path later = parent.resolve("mounted-later");
        JobConfig config = Jobs.config(
                later, output, "--monitor-interval", "50 ms", "--jdbc-url", db.jdbcUrl(), "--jdbc-user", db.user());
        StreamExecutionEnvironment env = env();
        env.enableCheckpointing(300);
        ImpressionsClicksJob.build(env, config);
        JobClient job;
        try (CapturedLogs logs = CapturedLogs.capture()) {
            job = env.executeAsync(ImpressionsClicksJob.JOB_NAME);
            try {
                Await.until(
                        Duration.ofSeconds(30),
                        "the warning about the missing folder",
                        () -> logs.lines().stream()
                                .anyMatch(l ->
                                        l.contains("Waiting for files: input folder " + later + " does not exist")));
                long firstWarning = System.nanoTime();
                // the folder is listed every 50 ms; wait for 40 listings after the warning
                Await.until(
                        Duration.ofSeconds(30),
                        "two more seconds",
                        () -> System.nanoTime() - firstWarning > 2_000_000_000L);
                assertThat(logs.lines().stream().filter(l -> l.contains("Waiting for files:")))
                        .hasSize(1);
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

                Files.createDirectories(later);
                new EventFiles(staging).drop(later, CLICK, "2022-05-26T10:00:00.000", 3, 1);
                Await.until(
                        Duration.ofSeconds(30),
                        "the file's row",
                        () -> HourlyRows.read(db, "csv_data_task").equals(List.of("2022-05-26T10:00,0,3")));
                assertThat(logs.lines()).anyMatch(l -> l.contains("can be listed again"));
                assertThat(logs.lines()).noneMatch(l -> l.contains("switched from RUNNING to RESTARTING"));
            } finally {
                Jobs.cancel(job);
            }
        }
    }
}
