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
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.impressionsclicks.ImpressionsClicksJob;
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

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension();

    private static final String HEADER = "date,hour,impression_count,click_count\n";

    @TempDir Path staging;
    @TempDir Path input;
    @TempDir Path output;
    @TempDir Path archive;
    private EventFiles files;
    private JobClient job;

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

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void archivesTheFilesOfADayOnceItsCsvIsCommittedAndNotBefore() throws Exception {
        JobConfig config = Jobs.config(input, output, "--no-db", "--processed", "archive", "--archive-dir", archive.toString(),
                "--monitor-interval", "100 ms", "--out-of-orderness", "0 s", "--idle-timeout", "1 s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(MiniClusters.PARALLELISM);
        env.enableCheckpointing(300);
        ImpressionsClicksJob.build(env, config, null);
        job = env.executeAsync(ImpressionsClicksJob.JOB_NAME);

        Path a = files.drop(input, IMPRESSION, "2022-05-26T11:32:12.045", 4, 1);
        Path b = files.drop(input, CLICK, "2022-05-26T19:32:04.695", 2, 0);
        Path none = files.drop(input, CLICK, "2022-05-26T20:00:00.000", 0, 3); // no matching event
        Thread.sleep(2_000); // several checkpoints: counted, but the day is open, so they stay
        assertThat(names(input)).contains(a.getFileName().toString(), b.getFileName().toString(), none.getFileName().toString());
        assertThat(names(archive)).isEmpty();

        Path next = files.drop(input, IMPRESSION, "2022-05-27T00:10:00.000", 1, 0); // closes 2022-05-26
        Await.until(Duration.ofSeconds(30), "the day's files in the archive",
                () -> names(archive).equals(List.of(a.getFileName().toString(), b.getFileName().toString(), none.getFileName().toString()).stream().sorted().collect(Collectors.toList())));
        assertThat(DailyOutputs.currentCsvs(output)).containsEntry("2022-05-26", HEADER + "2022-05-26,11,4,0\n2022-05-26,19,0,2\n");
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
        ImpressionsClicksJob.execute(env, config, null);

        assertThat(DailyOutputs.currentCsvs(output)).isEqualTo(Map.of(
                "2022-05-26", HEADER + "2022-05-26,10,3,0\n", "2022-05-27", HEADER + "2022-05-27,10,0,2\n"));
        assertThat(names(input)).containsExactly("clicks_processed_dk_20220527110000000_1-5_0.parquet");
    }
}
