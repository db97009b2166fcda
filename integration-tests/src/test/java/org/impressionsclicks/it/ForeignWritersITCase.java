package org.impressionsclicks.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.impressionsclicks.job.FileMetricsFilter;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.sink.LoadAuditTable;
import org.impressionsclicks.testing.DailyOutputs;
import org.impressionsclicks.testing.EventFiles;
import org.impressionsclicks.testing.ForeignParquetWriters;
import org.impressionsclicks.testing.ForeignParquetWriters.ForeignFile;
import org.impressionsclicks.testing.HourlyRows;
import org.impressionsclicks.testing.Jobs;
import org.impressionsclicks.testing.MiniClusters;
import org.impressionsclicks.testing.ParquetFiles;
import org.impressionsclicks.testing.PostgresDatabase;
import org.impressionsclicks.testing.PostgresExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job, bounded, on a folder of files from writers that are not parquet-java (DuckDB, Polars,
 * arrow-rs; every codec but LZO, v1 and v2 data pages, many row groups, dictionary fallback) plus one
 * LZO file: the daily CSVs and PostgreSQL hold exactly the totals the writing script reports, for
 * either time source, and the LZO file is rejected with its reason in the load audit.
 */
@ExtendWith(PostgresExtension.class)
class ForeignWritersITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension();

    private static final ZoneId CPH = ZoneId.of("Europe/Copenhagen");
    private static final String LZO_REASON =
            "compressed with LZO, which this job does not read (GPL codec, not bundled)";

    @TempDir
    Path staging;

    @TempDir
    Path input;

    @TempDir
    Path output;

    private final PostgresDatabase db;
    private List<ForeignFile> files;
    private String lzoFile;

    ForeignWritersITCase(PostgresDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void dropFilesIntoTheFolder() throws Exception {
        HourlyRows.drop(db, "csv_data_task");
        HourlyRows.drop(db, "load_audit");
        files = ForeignParquetWriters.write(staging, CPH);
        ForeignFile uncompressed = files.stream()
                .filter(f -> f.codec() == CompressionCodecName.UNCOMPRESSED)
                .findFirst()
                .orElseThrow();
        lzoFile = new EventFiles(staging).name(EventKind.CLICK, "2022-05-26T10:30:00.000");
        ParquetFiles.relabelCodec(
                uncompressed.path(), staging.resolve(lzoFile), CompressionCodecName.LZO, column -> true);
        try (var staged = Files.list(staging)) {
            for (Path file : staged.toList()) {
                EventFiles.moveInto(file, input);
            }
        }
    }

    private JobExecutionResult runBounded(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--bounded", "--jdbc-url", db.jdbcUrl(), "--jdbc-user", db.user()));
        args.addAll(List.of(extra));
        return Jobs.execute(Jobs.config(input, output, args.toArray(new String[0])));
    }

    @Test
    void countsEveryForeignFileInItsFileNameHour() throws Exception {
        Map<LocalDateTime, long[]> expected = new TreeMap<>();
        for (ForeignFile f : files) {
            add(expected, f, f.nameHour(), f.matched());
        }
        assertTotals(runBounded(), expected, ForeignFile::matched);
    }

    @Test
    void countsEveryForeignRowInTheHourOfItsCreationTime() throws Exception {
        Map<LocalDateTime, long[]> expected = new TreeMap<>();
        for (ForeignFile f : files) {
            f.recordHours().forEach((hour, n) -> add(expected, f, hour, n));
        }
        assertTotals(
                runBounded("--time-source", "record", "--time-zone", CPH.getId()),
                expected,
                f -> f.recordHours().values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
    }

    private static void add(Map<LocalDateTime, long[]> totals, ForeignFile file, LocalDateTime hour, long matched) {
        totals.computeIfAbsent(hour, h -> new long[2])[file.kind() == EventKind.IMPRESSION ? 0 : 1] += matched;
    }

    /** Daily CSVs, PostgreSQL rows and the load audit against the expected hourly totals and matches per file. */
    private void assertTotals(
            JobExecutionResult result, Map<LocalDateTime, long[]> expected, ToLongFunction<ForeignFile> matched)
            throws Exception {
        Map<String, String> csvs = new TreeMap<>();
        List<String> rows = new ArrayList<>();
        expected.forEach((hour, n) -> {
            csvs.merge(
                    hour.toLocalDate().toString(),
                    String.format("%s,%02d,%d,%d\n", hour.toLocalDate(), hour.getHour(), n[0], n[1]),
                    String::concat);
            rows.add(hour + "," + n[0] + "," + n[1]);
        });
        csvs.replaceAll((date, body) -> "date,hour,impression_count,click_count\n" + body);
        assertThat(expected.keySet().stream().map(LocalDateTime::toLocalDate).distinct())
                .hasSizeGreaterThan(1);

        assertThat(result.<Long>getAccumulatorResult(FileMetricsFilter.REJECTED_ACCUMULATOR))
                .isEqualTo(1L);
        assertThat(DailyOutputs.currentCsvs(output)).isEqualTo(csvs);
        assertThat(HourlyRows.read(db, "csv_data_task")).isEqualTo(rows);
        List<String> audit = db.selectAll(new LoadAuditTable("load_audit")).stream()
                .map(row -> String.join(
                        "|",
                        row.file(),
                        row.status(),
                        String.valueOf(row.rowsRead()),
                        String.valueOf(row.rowsMatched()),
                        String.valueOf(row.reason())))
                .toList();
        List<String> expectedAudit = new ArrayList<>();
        for (ForeignFile f : files) {
            expectedAudit.add(String.join(
                    "|", f.name(), "loaded", String.valueOf(f.rows()), String.valueOf(matched.applyAsLong(f)), "null"));
        }
        expectedAudit.add(String.join("|", lzoFile, "rejected", "0", "0", LZO_REASON));
        assertThat(audit).containsExactlyInAnyOrderElementsOf(expectedAudit);
    }
}
