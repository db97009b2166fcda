package org.impressionsclicks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.impressionsclicks.model.EventKind.CLICK;
import static org.impressionsclicks.model.EventKind.IMPRESSION;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.impressionsclicks.config.JobConfig;
import org.impressionsclicks.testing.Await;
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
 * The launcher's progress and status lines, read from a real job's metrics through the REST API
 * while the job watches a folder and loads PostgreSQL.
 */
@ExtendWith(PostgresExtension.class)
class RunReporterITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension();

    private static final Pattern STATUS = Pattern.compile(
            "Status: \\+(\\d+) files \\(0 rejected\\), \\+(\\d+) events read, \\+(\\d+) matched; newest hour (\\S+); "
                    + "(\\d+) upserts to PostgreSQL, (\\d+) day files written so far");

    @TempDir
    Path staging;

    @TempDir
    Path input;

    @TempDir
    Path output;

    private final PostgresDatabase db;
    private final RestJobMetrics metrics;

    RunReporterITCase(PostgresDatabase db, @InjectClusterClient ClusterClient<?> cluster) {
        this.db = db;
        this.metrics = new RestJobMetrics(cluster.getWebInterfaceURL());
    }

    private static List<String> lines(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** The sums of the status lines' "+N" parts and the last line's totals. */
    private static long[] statusTotals(List<String> lines) {
        long[] totals = new long[5];
        for (String line : lines) {
            Matcher m = STATUS.matcher(line);
            assertThat(m.matches()).as("status line '%s'", line).isTrue();
            for (int i = 0; i < 3; i++) {
                totals[i] += Long.parseLong(m.group(i + 1));
            }
            totals[3] = Long.parseLong(m.group(5));
            totals[4] = Long.parseLong(m.group(6));
        }
        return totals;
    }

    @Test
    void statusLinesSayWhatTheWatchingJobReadAndWroteAndProgressCountsFilesOfTheTotal() throws Exception {
        HourlyRows.drop(db, "csv_data_task");
        HourlyRows.drop(db, "load_audit");
        JobConfig config = Jobs.config(
                input,
                output,
                "--monitor-interval",
                "100 ms",
                "--out-of-orderness",
                "0 s",
                "--idle-timeout",
                "1 s",
                "--jdbc-url",
                db.jdbcUrl(),
                "--jdbc-user",
                db.user());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(MiniClusters.PARALLELISM);
        env.enableCheckpointing(300);
        ImpressionsClicksJob.build(env, config);
        JobClient job = env.executeAsync(ImpressionsClicksJob.JOB_NAME);
        ByteArrayOutputStream status = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try (RunReporter watching = RunReporter.start(
                        job.getJobID(),
                        metrics,
                        new PrintStream(status, true, StandardCharsets.UTF_8),
                        false,
                        0,
                        false,
                        Duration.ofMillis(200));
                RunReporter backfill = RunReporter.start(
                        job.getJobID(),
                        metrics,
                        new PrintStream(progress, true, StandardCharsets.UTF_8),
                        true,
                        3,
                        false,
                        Duration.ofMillis(200))) {
            EventFiles files = new EventFiles(staging);
            files.drop(input, IMPRESSION, "2022-05-26T11:32:12.045", 4, 2);
            files.drop(input, IMPRESSION, "2022-05-26T19:32:04.695", 7, 1);
            files.drop(input, CLICK, "2022-05-27T11:31:45.108", 5, 0); // closes 2022-05-26

            Await.until(
                    Duration.ofSeconds(60),
                    "status lines of 3 files, 19 events, 16 matched, 3 upserts and a day",
                    () -> {
                        long[] t = statusTotals(lines(status));
                        return t[0] == 3 && t[1] == 19 && t[2] == 16 && t[3] >= 3 && t[4] == 1;
                    });
            assertThat(lines(status)).last().asString().contains("newest hour 2022-05-27T11");
            Await.until(
                    Duration.ofSeconds(30),
                    "a progress line of all 3 files",
                    () -> lines(progress).stream()
                            .anyMatch(
                                    l -> l.startsWith("Progress: 3 / 3 files (100 %), 19 events read, 16 matched, ")));
            assertThat(lines(progress))
                    .allMatch(l -> l.matches("Progress: \\d / 3 files \\(\\d+ %\\), \\d+ events read, \\d+ matched, "
                            + "[\\d,]+ files/s, ETA .+"));
        } finally {
            Jobs.cancel(job);
        }
    }
}
