package org.impressionsclicks.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.impressionsclicks.model.EventKind.CLICK;
import static org.impressionsclicks.model.EventKind.IMPRESSION;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.impressionsclicks.ImpressionsClicksJob;
import org.impressionsclicks.RestJobMetrics;
import org.impressionsclicks.config.JobConfig;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.FileAudit;
import org.impressionsclicks.sink.LoadAuditTable;
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
 * The job watching a folder (streaming) against the real PostgreSQL: files dropped one after the
 * other show up as running totals within seconds, days are written once the watermark passes them,
 * late files within the allowed lateness correct both, later ones are left out; a file is read as it
 * lands, not a listing interval later.
 */
@ExtendWith(PostgresExtension.class)
class StreamingPostgresITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension();

    private static final String TABLE = "csv_data_task";
    private static final String HEADER = "date,hour,impression_count,click_count\n";
    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    @TempDir
    Path staging;

    @TempDir
    Path input;

    @TempDir
    Path output;

    private EventFiles files;
    private JobClient job;
    private final PostgresDatabase db;
    private final RestJobMetrics metrics;

    StreamingPostgresITCase(PostgresDatabase db, @InjectClusterClient ClusterClient<?> cluster) {
        this.db = db;
        this.metrics = new RestJobMetrics(cluster.getWebInterfaceURL());
    }

    @BeforeEach
    void setUp() throws Exception {
        files = new EventFiles(staging);
        HourlyRows.drop(db, TABLE);
        HourlyRows.drop(db, "load_audit");
    }

    @AfterEach
    void cancel() throws Exception {
        if (job != null) {
            Jobs.cancel(job);
        }
    }

    private void start(String allowedLateness) throws Exception {
        start(allowedLateness, "100 ms");
    }

    private void start(String allowedLateness, String monitorInterval) throws Exception {
        JobConfig config = Jobs.config(
                input,
                output,
                "--monitor-interval",
                monitorInterval,
                "--out-of-orderness",
                "0 s",
                "--allowed-lateness",
                allowedLateness,
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
        job = env.executeAsync(ImpressionsClicksJob.JOB_NAME);
    }

    private Duration awaitRows(String what, List<String> rows) throws Exception {
        return Await.until(
                Duration.ofSeconds(30), what, () -> HourlyRows.read(db, TABLE).equals(rows));
    }

    private Duration awaitCsv(String date, String csv) throws Exception {
        return Await.until(
                Duration.ofSeconds(30),
                "the CSV of " + date,
                () -> csv.equals(DailyOutputs.currentCsvs(output).get(date)));
    }

    /** A local folder is listed at the start and when it changes, not only every monitor-interval. */
    @Test
    void filesAreReadAtTheStartAndAsTheyLandNotAnIntervalLater() throws Exception {
        files.drop(input, CLICK, "2022-05-26T10:00:00.000", 3, 1); // before the job starts
        start("1 d", "1 h");
        awaitRows("the row of the file there at the start", List.of("2022-05-26T10:00,0,3"));
        files.drop(input, IMPRESSION, "2022-05-26T11:00:00.000", 5, 2); // written aside, renamed in
        awaitRows("the row of the file renamed in later", List.of("2022-05-26T10:00,0,3", "2022-05-26T11:00,5,0"));
    }

    @Test
    void runningTotalsReachPostgresWithinSecondsAndDaysAreWrittenWhenComplete() throws Exception {
        start("1 d");
        awaitRowsAfterDrop(IMPRESSION, "2022-05-26T11:32:12.045", 4, List.of("2022-05-26T11:00,4,0"));
        awaitRowsAfterDrop(
                IMPRESSION, "2022-05-26T19:32:04.695", 7, List.of("2022-05-26T11:00,4,0", "2022-05-26T19:00,7,0"));
        // running total of hour 19, then its final total
        awaitRowsAfterDrop(
                IMPRESSION, "2022-05-26T19:32:04.903", 3, List.of("2022-05-26T11:00,4,0", "2022-05-26T19:00,10,0"));
        assertThat(DailyOutputs.currentCsvs(output)).isEmpty(); // the day is not over yet

        awaitRowsAfterDrop(
                CLICK,
                "2022-05-27T11:31:45.108",
                5,
                List.of("2022-05-26T11:00,4,0", "2022-05-26T19:00,10,0", "2022-05-27T11:00,0,5"));
        awaitCsv("2022-05-26", HEADER + "2022-05-26,11,4,0\n2022-05-26,19,10,0\n");

        files.drop(input, CLICK, "2022-05-27T11:31:45.201", 5, 1);
        files.drop(input, CLICK, "2022-05-27T12:01:43.730", 7, 1);
        files.drop(input, CLICK, "2022-05-27T12:01:43.900", 3, 1);
        files.drop(input, CLICK, "2022-05-27T12:31:54.754", 7, 1);
        files.drop(input, CLICK, "2022-05-27T12:31:54.813", 3, 1);
        files.drop(input, IMPRESSION, "2022-05-27T12:31:54.212", 4, 1);
        files.drop(input, IMPRESSION, "2022-05-27T12:31:54.402", 6, 1);
        awaitRows("all reference rows", ReferenceParityBase.REFERENCE_ROWS);
        assertThat(DailyOutputs.currentCsvs(output)).containsOnlyKeys("2022-05-26");

        files.drop(input, IMPRESSION, "2022-05-28T00:10:00.000", 1, 0); // the next day closes 2022-05-27
        awaitCsv("2022-05-27", ReferenceParityBase.REFERENCE_CSVS.get("2022-05-27"));
        assertThat(DailyOutputs.finishedFiles(output).get("2022-05-26")).hasSize(1);
    }

    private List<String> lateAuditRows() throws java.sql.SQLException {
        return db.selectAll(new LoadAuditTable("load_audit")).stream()
                .filter(row -> row.status().equals(FileAudit.LATE))
                .map(row -> row.kind() + "|" + (row.eventHour() == null ? null : Timestamp.valueOf(row.eventHour()))
                        + "|" + row.status() + "|" + row.reason())
                .toList();
    }

    private void awaitRowsAfterDrop(
            org.impressionsclicks.model.EventKind kind, String time, int matching, List<String> rows) throws Exception {
        files.drop(input, kind, time, matching, 2);
        Duration latency = awaitRows("rows after the file of " + time, rows);
        assertThat(latency).as("file-to-PostgreSQL latency").isLessThan(FIVE_SECONDS);
    }

    @Test
    void lateFilesCorrectTheDayWithinTheAllowedLatenessAndAreLeftOutAfterIt() throws Exception {
        start("3 h");
        files.drop(input, IMPRESSION, "2022-05-26T22:10:00.000", 2, 0);
        files.drop(input, IMPRESSION, "2022-05-27T00:10:00.000", 1, 0);
        awaitCsv("2022-05-26", HEADER + "2022-05-26,22,2,0\n");

        // arrives out of order, within the allowed lateness of hour 22 (until 2022-05-27T02:00)
        files.drop(input, CLICK, "2022-05-26T22:50:00.000", 5, 0);
        awaitCsv("2022-05-26", HEADER + "2022-05-26,22,2,5\n");
        awaitRows("the corrected hour", List.of("2022-05-26T22:00,2,5", "2022-05-27T00:00,1,0"));

        files.drop(input, IMPRESSION, "2022-05-27T05:10:00.000", 1, 0); // watermark past 02:00
        awaitRows("hour 05", List.of("2022-05-26T22:00,2,5", "2022-05-27T00:00,1,0", "2022-05-27T05:00,1,0"));
        // the row above comes from early firing; the watermark reaches the windows on its own schedule
        // (periodic emission, idleness of the other subtask), and only then is hour 22 closed for good
        long hourFive = DateHours.toMillis(LocalDateTime.parse("2022-05-27T05:00"));
        Await.until(
                Duration.ofSeconds(30),
                "the windows' watermark at hour 05",
                () -> metrics.min(job.getJobID(), "Hourly totals", "Hourly_totals.currentInputWatermark")
                                .orElse(Long.MIN_VALUE)
                        >= hourFive - 1);
        files.drop(input, CLICK, "2022-05-26T22:55:00.000", 9, 0); // too late: left out, logged and counted
        files.drop(
                input, IMPRESSION, "2022-05-27T05:20:00.000", 1, 0); // a later file proves the one before was processed
        awaitRows("hour 05 again", List.of("2022-05-26T22:00,2,5", "2022-05-27T00:00,1,0", "2022-05-27T05:00,2,0"));

        Await.until(
                Duration.ofSeconds(30),
                "the late file in the load audit",
                () -> lateAuditRows()
                        .equals(
                                List.of(
                                        "clicks|2022-05-26 22:00:00.0|late|9 matching events of hour 2022-05-26T22 arrived after the allowed lateness and are not counted")));

        // the same facts as metrics in the REST API (what the web UI shows)
        Await.until(
                Duration.ofSeconds(45),
                "metrics filesRead=6 and lateFiles=1",
                () -> metrics.sum(job.getJobID(), "Count files", "filesRead").equals(java.util.OptionalLong.of(6))
                        && metrics.sum(job.getJobID(), "Report late files", "lateFiles")
                                .equals(java.util.OptionalLong.of(1)));
        assertThat(metrics.sum(job.getJobID(), "Count files", "fileTimeLagSeconds")
                        .orElseThrow())
                .isGreaterThan(0);

        Map<String, List<Path>> written = DailyOutputs.finishedFiles(output);
        assertThat(written.get("2022-05-26")).hasSize(2); // the first version and one correction
        assertThat(DailyOutputs.currentCsvs(output).get("2022-05-26")).isEqualTo(HEADER + "2022-05-26,22,2,5\n");
        for (Path day : written.get("2022-05-26")) {
            List<String> hours = DailyOutputs.read(day)
                    .lines()
                    .skip(1)
                    .map(l -> l.split(",")[1])
                    .toList();
            assertThat(hours).doesNotHaveDuplicates();
        }
    }
}
