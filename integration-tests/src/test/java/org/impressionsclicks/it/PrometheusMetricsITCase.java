package org.impressionsclicks.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.impressionsclicks.model.EventKind.CLICK;
import static org.impressionsclicks.model.EventKind.IMPRESSION;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.impressionsclicks.ImpressionsClicksJob;
import org.impressionsclicks.config.JobConfig;
import org.impressionsclicks.config.JobOptions;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.testing.Await;
import org.impressionsclicks.testing.EventFiles;
import org.impressionsclicks.testing.GrafanaDashboard;
import org.impressionsclicks.testing.HourlyRows;
import org.impressionsclicks.testing.Jobs;
import org.impressionsclicks.testing.MiniClusters;
import org.impressionsclicks.testing.PostgresDatabase;
import org.impressionsclicks.testing.PostgresExtension;
import org.impressionsclicks.testing.PrometheusScrape;
import org.impressionsclicks.testing.Repo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus reporter of {@code conf/config.yaml} on a MiniCluster (its port range moved to free
 * ports), scraped like Prometheus does while the job watches a folder and loads PostgreSQL: the
 * job's own metrics, the watermark and the PostgreSQL writer's counts carry exactly what was dropped,
 * and every metric the Grafana dashboard queries is in that scrape.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusMetricsITCase {

    /** The reporter's settings as shipped, with the port range moved to ports free on this machine. */
    static final String PORTS = freePortRange();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(reporterConfig(PORTS))
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(MiniClusters.PARALLELISM)
                    .build());

    private static final String TABLE = "csv_data_task";
    private static final Duration DEADLINE = Duration.ofSeconds(45);
    private static final String COUNT_FILES = "Count files and drop unmatched";
    private static final String LATE_FILES = "Report late files";
    private static final String POSTGRES_WRITER = "PostgreSQL upsert: Writer";
    private static final String OPERATOR = "flink_taskmanager_job_task_operator_";
    private static final long END_OF_11 = DateHours.toMillis(LocalDateTime.parse("2022-05-26T12:00")) - 1;

    @TempDir
    static Path staging;

    @TempDir
    static Path input;

    @TempDir
    static Path output;

    private JobClient job;

    /** The job watches a folder: two good files, a rejected one, then (once the watermark passed its hour) a late one. */
    @BeforeAll
    void runTheJobAndDropFiles(PostgresDatabase db, @InjectMiniCluster MiniCluster cluster) throws Exception {
        HourlyRows.drop(db, TABLE);
        HourlyRows.drop(db, "load_audit");
        JobConfig config = Jobs.config(
                input,
                output,
                "--monitor-interval",
                "100 ms",
                "--out-of-orderness",
                "0 s",
                "--allowed-lateness",
                "1 h",
                "--idle-timeout",
                "1 s",
                "--jdbc-url",
                db.jdbcUrl(),
                "--jdbc-user",
                db.user());
        // before each test the extension binds getExecutionEnvironment() to its cluster; before all, this does
        StreamExecutionEnvironment env = new TestStreamEnvironment(cluster, MiniClusters.PARALLELISM);
        env.enableCheckpointing(300);
        ImpressionsClicksJob.build(env, config);
        job = env.executeAsync(ImpressionsClicksJob.JOB_NAME);

        EventFiles files = new EventFiles(staging);
        files.drop(input, IMPRESSION, "2022-05-26T10:10:00.000", 3, 2);
        files.drop(input, CLICK, "2022-05-26T12:10:00.000", 4, 1);
        Path notParquet = staging.resolve(files.name(CLICK, "2022-05-26T10:20:00.000"));
        Files.writeString(notParquet, "id,agent\n1,x\n");
        EventFiles.moveInto(notParquet, input);
        Await.until(
                DEADLINE,
                "both hours in PostgreSQL",
                () -> HourlyRows.read(db, TABLE).equals(List.of("2022-05-26T10:00,3,0", "2022-05-26T12:00,0,4")));
        // a file's records carry its hour's start, so the watermark after the file of 12:10 is 11:59:59.999,
        // which is the end of hour 10 plus the allowed lateness: hour 10 is closed for good
        Await.until(
                DEADLINE,
                "the windows' watermark at the end of 11:59 in the scrape",
                () -> min(scrape().of(OPERATOR + "currentInputWatermark", PrometheusScrape.operator("Hourly totals")))
                        >= END_OF_11);
        files.drop(input, CLICK, "2022-05-26T10:50:00.000", 2, 1); // too late: counted as read, then as late
    }

    @AfterAll
    void cancel() throws Exception {
        if (job != null) {
            Jobs.cancel(job);
        }
    }

    @Test
    void theScrapeShowsTheJobsOwnMetricsTheWatermarkAndThePostgresWriterWithTheirValues() throws Exception {
        Await.until(DEADLINE, "all four files and the late one in the scrape", () -> {
            PrometheusScrape s = scrape();
            return s.operatorSum(OPERATOR + "filesRead", COUNT_FILES).orElse(0)
                                    + s.operatorSum(OPERATOR + "filesRejected", COUNT_FILES)
                                            .orElse(0)
                            >= 4
                    && s.operatorSum(OPERATOR + "lateFiles", LATE_FILES).orElse(0) >= 1;
        });
        PrometheusScrape scrape = scrape();

        assertThat(scrape.operatorSum(OPERATOR + "filesRead", COUNT_FILES)).hasValue(3);
        assertThat(scrape.operatorSum(OPERATOR + "filesRejected", COUNT_FILES)).hasValue(1);
        assertThat(scrape.operatorSum(OPERATOR + "eventsRead", COUNT_FILES)).hasValue(5 + 5 + 3);
        assertThat(scrape.operatorSum(OPERATOR + "eventsMatched", COUNT_FILES)).hasValue(3 + 4 + 2);
        assertThat(scrape.operatorSum(OPERATOR + "lateFiles", LATE_FILES)).hasValue(1);
        assertThat(scrape.operatorSum(OPERATOR + "lateEvents", LATE_FILES)).hasValue(2);

        // the newest hour read is 2022-05-26T12; a subtask that read no file says -1
        long expectedLag = (DateHours.toMillis(LocalDateTime.now(JobOptions.DEFAULT_TIME_ZONE))
                        - DateHours.toMillis(LocalDateTime.parse("2022-05-26T13:00")))
                / 1000;
        List<PrometheusScrape.Sample> lags =
                scrape.of(OPERATOR + "fileTimeLagSeconds", PrometheusScrape.operator(COUNT_FILES));
        assertThat(lags).hasSize(MiniClusters.PARALLELISM);
        assertThat(lags.stream()
                        .mapToDouble(PrometheusScrape.Sample::value)
                        .filter(v -> v >= 0)
                        .min()
                        .orElseThrow())
                .isBetween(expectedLag - 60.0, expectedLag + 1.0);

        // the watermark: out of the event-time operator (the subtask that read the newest file; the other one is
        // idle) and into the windows (both subtasks)
        assertThat(max(scrape.of(OPERATOR + "currentOutputWatermark", PrometheusScrape.operator("Event time"))))
                .isEqualTo(END_OF_11);
        assertThat(scrape.of(OPERATOR + "currentInputWatermark", PrometheusScrape.operator("Hourly totals")))
                .hasSize(MiniClusters.PARALLELISM)
                .allMatch(s -> s.value() == END_OF_11);

        // the PostgreSQL sink: the writer received one upsert per file that counted (the late one did not). The JDBC
        // connector never touches its writer's metric group, so Flink's numRecordsSend and numRecordsSendErrors stay
        // 0 whatever it wrote: the dashboard shows numRecordsIn, and a failed batch shows as a restart
        assertThat(scrape.operatorSum(OPERATOR + "numRecordsIn", POSTGRES_WRITER))
                .hasValue(2);
        assertThat(scrape.operatorSum(OPERATOR + "numRecordsSend", POSTGRES_WRITER))
                .hasValue(0);
        assertThat(scrape.operatorSum(OPERATOR + "numRecordsSendErrors", POSTGRES_WRITER))
                .hasValue(0);
        assertThat(scrape.of(
                        "flink_jobmanager_job_numRestarts",
                        s -> job.getJobID().toString().equals(s.get("job_id"))))
                .singleElement()
                .extracting(PrometheusScrape.Sample::value)
                .isEqualTo(0.0);

        // the job's own series carry its id and name
        assertThat(scrape.of(OPERATOR + "filesRead", PrometheusScrape.operator(COUNT_FILES)))
                .allMatch(s -> job.getJobID().toString().equals(s.labels().get("job_id"))
                        && PrometheusScrape.labelValue(ImpressionsClicksJob.JOB_NAME)
                                .equals(s.labels().get("job_name")));
    }

    @Test
    void everyMetricTheGrafanaDashboardQueriesIsInTheScrape() throws Exception {
        Predicate<Map<String, String>> thisJob =
                labels -> job.getJobID().toString().equals(labels.get("job_id"));
        Await.until(DEADLINE, "a completed checkpoint and the late file in the scrape", () -> {
            PrometheusScrape s = scrape();
            return s.of("flink_jobmanager_job_numberOfCompletedCheckpoints", thisJob).stream()
                            .anyMatch(c -> c.value() > 0)
                    && s.operatorSum(OPERATOR + "lateFiles", LATE_FILES).equals(OptionalDouble.of(1));
        });
        PrometheusScrape scrape = scrape();
        GrafanaDashboard dashboard = GrafanaDashboard.read(Repo.root().resolve(GrafanaDashboard.PATH));

        List<String> problems = new ArrayList<>();
        for (GrafanaDashboard.Panel panel : dashboard.panels()) {
            if (panel.selectors().isEmpty()) {
                problems.add("panel '" + panel.title() + "' queries no flink_ metric: " + panel.queries());
            }
            for (GrafanaDashboard.Selector selector : panel.selectors()) {
                if (!scrape.names().contains(selector.metric())) {
                    problems.add("panel '" + panel.title() + "': " + selector.metric() + " is not in the scrape");
                } else if (scrape.of(selector.metric(), selector::matches).isEmpty()) {
                    problems.add("panel '" + panel.title() + "': no series of the scrape matches " + selector);
                }
            }
        }
        assertThat(problems)
                .as(
                        "panels of %s against a scrape of %d series",
                        GrafanaDashboard.PATH, scrape.samples().size())
                .isEmpty();
        assertThat(dashboard.metrics())
                .as("what the dashboard shows")
                .contains(
                        OPERATOR + "filesRead",
                        OPERATOR + "eventsRead",
                        OPERATOR + "eventsMatched",
                        OPERATOR + "filesRejected",
                        OPERATOR + "lateFiles",
                        OPERATOR + "fileTimeLagSeconds",
                        "flink_jobmanager_job_lastCheckpointDuration",
                        "flink_jobmanager_job_lastCheckpointSize",
                        "flink_jobmanager_job_numRestarts",
                        "flink_taskmanager_job_task_backPressuredTimeMsPerSecond");
    }

    private static PrometheusScrape scrape() throws InterruptedException {
        PrometheusScrape scrape = PrometheusScrape.of(PORTS);
        assertThat(scrape.ports()).as("reporters answering on %s", PORTS).isNotEmpty();
        return scrape;
    }

    private static double min(List<PrometheusScrape.Sample> samples) {
        return samples.stream()
                .mapToDouble(PrometheusScrape.Sample::value)
                .min()
                .orElse(Double.NEGATIVE_INFINITY);
    }

    private static double max(List<PrometheusScrape.Sample> samples) {
        return samples.stream()
                .mapToDouble(PrometheusScrape.Sample::value)
                .max()
                .orElse(Double.NEGATIVE_INFINITY);
    }

    /** The {@code metrics.reporter.*} settings of {@code conf/config.yaml}, with the port range replaced by {@code ports}. */
    static Configuration reporterConfig(String ports) {
        Configuration shipped =
                GlobalConfiguration.loadConfiguration(Repo.conf().toString());
        Configuration config = new Configuration();
        shipped.toMap().forEach((key, value) -> {
            if (key.startsWith("metrics.reporter.")) {
                config.setString(key, key.endsWith(".port") ? ports : value);
            }
        });
        return config;
    }

    /** A range of ports starting with one that is free now (the reporter takes the first free one of a range). */
    private static String freePortRange() {
        try (ServerSocket socket = new ServerSocket(0)) {
            int port = socket.getLocalPort();
            return port + "-" + (port + 3);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
