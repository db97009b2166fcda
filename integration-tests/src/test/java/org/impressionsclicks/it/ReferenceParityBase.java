package org.impressionsclicks.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.impressionsclicks.ImpressionsClicksJob;
import org.impressionsclicks.config.JobConfig;
import org.impressionsclicks.testing.DailyOutputs;
import org.impressionsclicks.testing.HourlyRows;
import org.impressionsclicks.testing.Jobs;
import org.impressionsclicks.testing.MiniClusters;
import org.impressionsclicks.testing.PostgresDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference example as a test: the job, in bounded mode at parallelism 2, reproduces
 * {@code expected_output/} byte for byte and the four reference rows in PostgreSQL. Subclasses say
 * where the input files come from (the real sample files, or generated twins of them).
 */
abstract class ReferenceParityBase {

    static final String TABLE = "csv_data_task";

    /** The four hours of the reference example, as PostgreSQL holds them. */
    static final List<String> REFERENCE_ROWS =
            List.of("2022-05-26T11:00,4,0", "2022-05-26T19:00,10,0", "2022-05-27T11:00,0,10", "2022-05-27T12:00,10,20");

    /** The expected daily CSVs, keyed by date. */
    static final Map<String, String> REFERENCE_CSVS = Map.of(
            "2022-05-26", "date,hour,impression_count,click_count\n2022-05-26,11,4,0\n2022-05-26,19,10,0\n",
            "2022-05-27", "date,hour,impression_count,click_count\n2022-05-27,11,0,10\n2022-05-27,12,10,20\n");

    @TempDir
    Path output;

    /** The folder with the eleven input files. */
    abstract Path inputDir() throws Exception;

    /** The expected CSVs as the example states them. */
    abstract Map<String, String> expectedCsvs() throws Exception;

    abstract PostgresDatabase database();

    @BeforeEach
    void dropTable() throws Exception {
        HourlyRows.drop(database(), TABLE);
    }

    void runBounded(Path out, String... extra) throws Exception {
        String[] args = new String[extra.length + 1];
        args[0] = "--bounded";
        System.arraycopy(extra, 0, args, 1, extra.length);
        JobConfig config = Jobs.config(inputDir(), out, args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(MiniClusters.PARALLELISM);
        PostgresDatabase db = database();
        ImpressionsClicksJob.execute(env, config.withDatabaseAt(db.jdbcUrl(), db.user()));
    }

    @ParameterizedTest(name = "time source {0}")
    @ValueSource(strings = {"filename", "record"})
    void reproducesTheReferenceCsvsAndRows(String timeSource) throws Exception {
        runBounded(output, "--time-source", timeSource);

        assertThat(DailyOutputs.currentCsvs(output)).isEqualTo(expectedCsvs()).isEqualTo(REFERENCE_CSVS);
        assertThat(DailyOutputs.finishedFiles(output))
                .allSatisfy((date, files) -> assertThat(files).hasSize(1));
        assertThat(HourlyRows.read(database(), TABLE)).isEqualTo(REFERENCE_ROWS);
    }

    @Test
    void aRerunChangesNothingButTheAuditTime(@TempDir Path secondOutput) throws Exception {
        runBounded(output);
        List<LocalDateTime> firstAudit = HourlyRows.auditTimes(database(), TABLE);
        Thread.sleep(20);

        runBounded(secondOutput);

        assertThat(HourlyRows.read(database(), TABLE)).isEqualTo(REFERENCE_ROWS);
        List<LocalDateTime> secondAudit = HourlyRows.auditTimes(database(), TABLE);
        assertThat(secondAudit).hasSameSizeAs(firstAudit);
        for (int i = 0; i < firstAudit.size(); i++) {
            assertThat(secondAudit.get(i)).isAfter(firstAudit.get(i));
        }
        assertThat(DailyOutputs.currentCsvs(secondOutput)).isEqualTo(REFERENCE_CSVS);
    }

    @Test
    void fromToNarrowsTheBackfillToFileNameDates() throws Exception {
        runBounded(output, "--from", "2022-05-27", "--to", "2022-05-27");
        assertThat(DailyOutputs.currentCsvs(output))
                .containsOnlyKeys("2022-05-27")
                .containsEntry("2022-05-27", REFERENCE_CSVS.get("2022-05-27"));
        assertThat(HourlyRows.read(database(), TABLE)).isEqualTo(REFERENCE_ROWS.subList(2, 4));
    }
}
