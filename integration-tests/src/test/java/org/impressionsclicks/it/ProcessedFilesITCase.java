package org.impressionsclicks.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.impressionsclicks.model.EventKind.CLICK;
import static org.impressionsclicks.model.EventKind.IMPRESSION;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.impressionsclicks.ImpressionsClicksJob;
import org.impressionsclicks.RestJobMetrics;
import org.impressionsclicks.config.JobConfig;
import org.impressionsclicks.testing.Await;
import org.impressionsclicks.testing.DailyOutputs;
import org.impressionsclicks.testing.EventFiles;
import org.impressionsclicks.testing.Jobs;
import org.impressionsclicks.testing.MiniClusters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code --processed archive|delete}: a file leaves the folder only once its day's CSV is committed. */
class ProcessedFilesITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension();

    private static final String HEADER = "date,hour,impression_count,click_count\n";

    @TempDir
    Path staging;

    @TempDir
    Path input;

    @TempDir
    Path output;

    @TempDir
    Path archive;

    private EventFiles files;
    private JobClient job;
    private final MiniCluster cluster;
    private final RestJobMetrics metrics;

    ProcessedFilesITCase(@InjectMiniCluster MiniCluster cluster) throws Exception {
        this.cluster = cluster;
        this.metrics = new RestJobMetrics(cluster.getRestAddress().get().toString());
    }

    @BeforeEach
    void setUp() {
        files = new EventFiles(staging);
    }

    @AfterEach
    void cancel() throws Exception {
        if (job != null) {
            Jobs.cancel(job);
        }
    }

    /**
     * Waits until the job has counted {@code files} files with {@code matched} matching events, and
     * then until three more checkpoints completed. One checkpoint runs at a time, so the second one
     * started after the counting: the counts are in it, and so are the files' names in the
     * processed-files sink if the job let go of them too early; the third one came after the
     * second one's commit. Only then does a file still in the folder prove that it was kept.
     */
    private void awaitCountedAndCheckpointed(long files, long matched) throws Exception {
        Await.until(
                Duration.ofSeconds(60),
                files + " files read, " + matched + " events matched",
                () -> metrics.aggregate(job.getJobID(), "Count files", "sum", List.of("filesRead", "eventsMatched"))
                        .equals(Map.of("filesRead", files, "eventsMatched", matched)));
        long checkpoints = completedCheckpoints();
        Await.until(
                Duration.ofSeconds(30),
                "3 checkpoints after checkpoint " + checkpoints,
                () -> completedCheckpoints() >= checkpoints + 3);
    }

    private long completedCheckpoints() throws Exception {
        return cluster.getExecutionGraph(job.getJobID())
                .get()
                .getCheckpointStatsSnapshot()
                .getCounts()
                .getNumberOfCompletedCheckpoints();
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void archivesTheFilesOfADayOnceItsCsvIsCommittedAndNotBefore() throws Exception {
        JobConfig config = Jobs.config(
                input,
                output,
                "--no-db",
                "--processed",
                "archive",
                "--archive-dir",
                archive.toString(),
                "--monitor-interval",
                "100 ms",
                "--out-of-orderness",
                "0 s",
                "--idle-timeout",
                "1 s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(MiniClusters.PARALLELISM);
        env.enableCheckpointing(300);
        ImpressionsClicksJob.build(env, config);
        job = env.executeAsync(ImpressionsClicksJob.JOB_NAME);

        Path a = files.drop(input, IMPRESSION, "2022-05-26T11:32:12.045", 4, 1);
        Path b = files.drop(input, CLICK, "2022-05-26T19:32:04.695", 2, 0);
        Path none = files.drop(input, CLICK, "2022-05-26T20:00:00.000", 0, 3); // no matching event
        awaitCountedAndCheckpointed(3, 4 + 2); // counted, but the day is open, so they stay
        assertThat(names(input))
                .contains(
                        a.getFileName().toString(),
                        b.getFileName().toString(),
                        none.getFileName().toString());
        assertThat(names(archive)).isEmpty();

        Path next = files.drop(input, IMPRESSION, "2022-05-27T00:10:00.000", 1, 0); // closes 2022-05-26
        Await.until(
                Duration.ofSeconds(30),
                "the day's files in the archive",
                () -> names(archive)
                        .equals(List.of(
                                        a.getFileName().toString(),
                                        b.getFileName().toString(),
                                        none.getFileName().toString())
                                .stream()
                                .sorted()
                                .collect(Collectors.toList())));
        assertThat(DailyOutputs.currentCsvs(output))
                .containsEntry("2022-05-26", HEADER + "2022-05-26,11,4,0\n2022-05-26,19,0,2\n");
        assertThat(names(input)).containsExactly(next.getFileName().toString());
    }

    @Test
    void deletesEveryCountedFileAfterABackfillAndKeepsRejectedOnes() throws Exception {
        files.drop(input, IMPRESSION, "2022-05-26T10:00:00.000", 3, 1);
        files.drop(input, CLICK, "2022-05-27T10:00:00.000", 2, 1);
        Files.writeString(input.resolve("clicks_processed_dk_20220527110000000_1-5_0.parquet"), "not parquet");
        JobConfig config = Jobs.config(input, output, "--bounded", "--no-db", "--processed", "delete");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(MiniClusters.PARALLELISM);
        ImpressionsClicksJob.execute(env, config);

        assertThat(DailyOutputs.currentCsvs(output))
                .isEqualTo(Map.of(
                        "2022-05-26", HEADER + "2022-05-26,10,3,0\n", "2022-05-27", HEADER + "2022-05-27,10,0,2\n"));
        assertThat(names(input)).containsExactly("clicks_processed_dk_20220527110000000_1-5_0.parquet");
    }
}
