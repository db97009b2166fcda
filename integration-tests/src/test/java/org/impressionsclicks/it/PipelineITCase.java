package org.impressionsclicks.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.impressionsclicks.model.EventKind.CLICK;
import static org.impressionsclicks.model.EventKind.IMPRESSION;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.impressionsclicks.ImpressionsClicksJob;
import org.impressionsclicks.config.JobOptions;
import org.impressionsclicks.generate.AdformParquetWriter;
import org.impressionsclicks.generate.GeneratedEvent;
import org.impressionsclicks.testing.DailyOutputs;
import org.impressionsclicks.testing.EventFiles;
import org.impressionsclicks.testing.Jobs;
import org.impressionsclicks.testing.MiniClusters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole topology on a MiniCluster at parallelism 2, in bounded mode (CSV only), on Parquet files
 * written in the full nested schema and moved into the watched folder.
 */
class PipelineITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension();

    private static final String HEADER = "date,hour,impression_count,click_count\n";

    @TempDir
    Path staging;

    @TempDir
    Path input;

    @TempDir
    Path output;

    private EventFiles files;

    @BeforeEach
    void setUp() {
        files = new EventFiles(staging);
    }

    private Map<String, String> runBounded(String... extra) throws Exception {
        String[] args = new String[extra.length + 2];
        args[0] = "--bounded";
        args[1] = "--no-db";
        System.arraycopy(extra, 0, args, 2, extra.length);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(MiniClusters.PARALLELISM);
        ImpressionsClicksJob.execute(env, Jobs.config(input, output, args));
        assertThat(DailyOutputs.finishedFiles(output))
                .allSatisfy((date, written) -> assertThat(written).hasSize(1));
        return DailyOutputs.currentCsvs(output);
    }

    @Test
    void sumsSeveralFilesOfOneHourOfBothKinds() throws Exception {
        files.drop(input, IMPRESSION, "2022-05-27T12:31:54.212", 4, 3);
        files.drop(input, IMPRESSION, "2022-05-27T12:31:54.402", 6, 0);
        files.drop(input, CLICK, "2022-05-27T12:01:43.730", 7, 5);
        files.drop(input, CLICK, "2022-05-27T12:59:59.999", 13, 1);
        assertThat(runBounded()).containsExactly(Map.entry("2022-05-27", HEADER + "2022-05-27,12,10,20\n"));
    }

    @Test
    void onlyClicks() throws Exception {
        files.drop(input, CLICK, "2022-05-27T11:31:45.108", 5, 2);
        files.drop(input, CLICK, "2022-05-27T09:31:45.201", 5, 2);
        assertThat(runBounded())
                .containsExactly(Map.entry("2022-05-27", HEADER + "2022-05-27,09,0,5\n2022-05-27,11,0,5\n"));
    }

    @Test
    void onlyImpressions() throws Exception {
        files.drop(input, IMPRESSION, "2022-05-26T00:00:00.000", 1, 0);
        files.drop(input, IMPRESSION, "2022-05-26T23:59:59.999", 2, 9);
        assertThat(runBounded())
                .containsExactly(Map.entry("2022-05-26", HEADER + "2022-05-26,00,1,0\n2022-05-26,23,2,0\n"));
    }

    @Test
    void severalDaysGetOneFileEach() throws Exception {
        files.drop(input, IMPRESSION, "2022-05-25T10:00:00.000", 3, 1);
        files.drop(input, CLICK, "2022-05-26T10:00:00.000", 2, 1);
        files.drop(input, IMPRESSION, "2022-05-27T10:00:00.000", 1, 1);
        files.drop(input, CLICK, "2022-05-27T10:30:00.000", 4, 1);
        assertThat(runBounded())
                .containsExactly(
                        Map.entry("2022-05-25", HEADER + "2022-05-25,10,3,0\n"),
                        Map.entry("2022-05-26", HEADER + "2022-05-26,10,0,2\n"),
                        Map.entry("2022-05-27", HEADER + "2022-05-27,10,1,4\n"));
    }

    @Test
    void filesWithoutMatchingRowsOrWithoutRowsProduceNothing() throws Exception {
        files.drop(input, IMPRESSION, "2022-05-26T10:00:00.000", 0, 8);
        files.drop(input, CLICK, "2022-05-26T11:00:00.000", 0, 0);
        files.drop(input, CLICK, "2022-05-26T12:00:00.000", 1, 0);
        assertThat(runBounded()).containsExactly(Map.entry("2022-05-26", HEADER + "2022-05-26,12,0,1\n"));
    }

    @Test
    void noMatchingRowsAtAllWritesNoFiles() throws Exception {
        files.drop(input, IMPRESSION, "2022-05-26T10:00:00.000", 0, 8);
        assertThat(runBounded()).isEmpty();
    }

    @Test
    void anEmptyFolderEndsCleanlyWithNoOutput() throws Exception {
        assertThat(runBounded()).isEmpty();
    }

    @Test
    void ignoresHiddenAndMisnamedFilesAndRejectsUnreadableOnes() throws Exception {
        Path good = files.write(CLICK, "2022-05-26T10:00:00.000", 2, 0);
        Files.copy(good, input.resolve("." + good.getFileName())); // upload in progress
        Files.copy(good, input.resolve("_" + good.getFileName())); // upload in progress
        Files.copy(good, input.resolve("clicks_20220526.parquet")); // misnamed
        Files.copy(good, input.resolve(good.getFileName() + ".tmp")); // misnamed
        Files.writeString(input.resolve(files.name(CLICK, "2022-05-26T10:10:00.000")), "not parquet");
        Files.write(input.resolve(files.name(CLICK, "2022-05-26T10:20:00.000")), new byte[0]);
        EventFiles.moveInto(good, input);
        assertThat(runBounded()).containsExactly(Map.entry("2022-05-26", HEADER + "2022-05-26,10,0,2\n"));
    }

    @Test
    void recordTimeSourceCountsEachRowInTheHourOfItsCreationTime() throws Exception {
        String name = files.name(IMPRESSION, "2022-05-26T10:00:00.025");
        Path file = staging.resolve(name);
        AdformParquetWriter.write(
                file,
                IMPRESSION,
                List.of(
                        new GeneratedEvent(Jobs.REFERENCE_USER_AGENT, epochMillis("2022-05-26T09:59:59.990")),
                        new GeneratedEvent(Jobs.REFERENCE_USER_AGENT, epochMillis("2022-05-26T09:59:59.995")),
                        new GeneratedEvent(EventFiles.OTHER_USER_AGENT, epochMillis("2022-05-26T09:59:59.996")),
                        new GeneratedEvent(Jobs.REFERENCE_USER_AGENT, epochMillis("2022-05-26T09:59:59.999")),
                        new GeneratedEvent(Jobs.REFERENCE_USER_AGENT, epochMillis("2022-05-26T10:00:00.000")),
                        new GeneratedEvent(Jobs.REFERENCE_USER_AGENT, epochMillis("2022-05-26T10:00:00.020"))),
                7);
        EventFiles.moveInto(file, input);

        assertThat(runBounded("--time-source", "record"))
                .containsExactly(Map.entry("2022-05-26", HEADER + "2022-05-26,09,3,0\n2022-05-26,10,2,0\n"));
        Files.walk(output)
                .sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete());
        assertThat(runBounded("--time-source", "record", "--time-zone", "UTC"))
                .containsExactly(Map.entry("2022-05-26", HEADER + "2022-05-26,07,3,0\n2022-05-26,08,2,0\n"));
    }

    /** The instant of a wall-clock time in the job's default zone. */
    private static long epochMillis(String wallClock) {
        return LocalDateTime.parse(wallClock)
                .atZone(JobOptions.DEFAULT_TIME_ZONE)
                .toInstant()
                .toEpochMilli();
    }
}
