package org.impressionsclicks.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.impressionsclicks.job.FileMetricsFilter;
import org.impressionsclicks.sink.LoadAuditTable;
import org.impressionsclicks.testing.DailyOutputs;
import org.impressionsclicks.testing.EventFiles;
import org.impressionsclicks.testing.HourlyRows;
import org.impressionsclicks.testing.Jobs;
import org.impressionsclicks.testing.MiniClusters;
import org.impressionsclicks.testing.PostgresDatabase;
import org.impressionsclicks.testing.PostgresExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad files next to good ones: the job counts every good file exactly, rejects each bad one with a
 * reason in the load audit (one row per file, also on a replay) and reports the rejections in the
 * {@value FileMetricsFilter#REJECTED_ACCUMULATOR} accumulator that sets a bounded run's exit code.
 */
@ExtendWith(PostgresExtension.class)
class BadInputITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension();

    @TempDir
    Path staging;

    @TempDir
    Path input;

    @TempDir
    Path output;

    private final PostgresDatabase db;

    BadInputITCase(PostgresDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void dropTables() throws Exception {
        HourlyRows.drop(db, "csv_data_task");
        HourlyRows.drop(db, "load_audit");
    }

    private JobExecutionResult runBounded() throws Exception {
        return Jobs.execute(
                Jobs.config(input, output, "--bounded", "--jdbc-url", db.jdbcUrl(), "--jdbc-user", db.user()));
    }

    private List<String> audit() throws Exception {
        return db.selectAll(new LoadAuditTable("load_audit")).stream()
                .map(row -> String.join(
                        "|",
                        row.file(),
                        String.valueOf(row.kind()),
                        String.valueOf(row.eventHour() == null ? null : Timestamp.valueOf(row.eventHour())),
                        String.valueOf(row.rowsRead()),
                        String.valueOf(row.rowsMatched()),
                        row.status(),
                        String.valueOf(row.reason())))
                .toList();
    }

    @Test
    void rejectsEachBadFileWithAReasonAndCountsEveryGoodOne() throws Exception {
        EventFiles files = new EventFiles(staging);
        Path good = files.write("clicks_processed_dk_20220526100000000_1-5_0.parquet", 3, 2);
        Path good2 = files.write("impressions_processed_dk_20220526101500000_1-5_0.parquet", 4, 0);
        byte[] bytes = Files.readAllBytes(good);
        Files.write(input.resolve("clicks_processed_dk_20220526100500000_1-5_0.parquet"), new byte[0]); // zero bytes
        Files.write(
                input.resolve("clicks_processed_dk_20220526101000000_1-5_0.parquet"),
                Arrays.copyOf(bytes, bytes.length / 2)); // truncated
        Files.writeString(
                input.resolve("clicks_processed_dk_20220526102000000_1-5_0.parquet"), "id,agent\n1,x\n"); // not Parquet
        writeWithoutUserAgent(
                input.resolve("impressions_processed_dk_20220526102500000_1-5_0.parquet")); // no user_agent column
        Files.write(
                input.resolve("impressions_processed_dk_20231340000000000_1-5_0.parquet"), bytes); // impossible date
        Files.write(input.resolve("impressions_20220526.parquet"), bytes); // not the pattern
        Files.write(
                input.resolve(".impressions_processed_dk_20220526103000000_1-5_0.parquet"),
                bytes); // upload in progress
        Files.write(
                input.resolve("impressions_processed_dk_20220526103500000_1-5_0.parquet.tmp"),
                bytes); // upload in progress
        EventFiles.moveInto(good, input);
        EventFiles.moveInto(good2, input);

        JobExecutionResult result = runBounded();

        assertThat(result.<Long>getAccumulatorResult(FileMetricsFilter.REJECTED_ACCUMULATOR))
                .isEqualTo(6L);
        assertThat(DailyOutputs.currentCsvs(output))
                .isEqualTo(Map.of("2022-05-26", "date,hour,impression_count,click_count\n2022-05-26,10,4,3\n"));
        assertThat(HourlyRows.read(db, "csv_data_task")).containsExactly("2022-05-26T10:00,4,3");
        List<String> audit = audit();
        String notParquet = "not a readable Parquet file (";
        assertThat(audit)
                .filteredOn(row -> row.contains("|" + notParquet))
                .hasSize(3)
                .allSatisfy(row ->
                        assertThat(row).containsAnyOf("(0 bytes, too short)", "(no Parquet magic number at its end)"));
        assertThat(audit.stream()
                        .map(row -> row.replaceAll("\\|not a readable Parquet file \\(.*", "|" + notParquet + "...)")))
                .containsExactly(
                        "clicks_processed_dk_20220526100000000_1-5_0.parquet|clicks|2022-05-26 10:00:00.0|5|3|loaded|null",
                        "clicks_processed_dk_20220526100500000_1-5_0.parquet|clicks|2022-05-26 10:00:00.0|0|0|rejected|"
                                + notParquet + "...)",
                        "clicks_processed_dk_20220526101000000_1-5_0.parquet|clicks|2022-05-26 10:00:00.0|0|0|rejected|"
                                + notParquet + "...)",
                        "clicks_processed_dk_20220526102000000_1-5_0.parquet|clicks|2022-05-26 10:00:00.0|0|0|rejected|"
                                + notParquet + "...)",
                        "impressions_20220526.parquet|null|null|0|0|rejected|name does not match <impressions|clicks>_processed_dk_<yyyyMMddHHmmssSSS>_<ids>_<n>.parquet",
                        "impressions_processed_dk_20220526101500000_1-5_0.parquet|impressions|2022-05-26 10:00:00.0|4|4|loaded|null",
                        "impressions_processed_dk_20220526102500000_1-5_0.parquet|impressions|2022-05-26 10:00:00.0|0|0|rejected|no column device_settings.user_agent",
                        "impressions_processed_dk_20231340000000000_1-5_0.parquet|null|null|0|0|rejected|impossible timestamp 20231340000000000 in name");

        // a replay updates the audit rows instead of adding any, and changes no count
        runBounded();
        assertThat(audit()).hasSameSizeAs(audit);
        assertThat(HourlyRows.read(db, "csv_data_task")).containsExactly("2022-05-26T10:00,4,3");
    }

    private static void writeWithoutUserAgent(Path file) throws Exception {
        MessageType schema = MessageTypeParser.parseMessageType(
                "message m { required group transaction_header { required int64 creation_time; } optional binary other (STRING); }");
        try (ParquetWriter<org.apache.parquet.example.data.Group> w = ExampleParquetWriter.builder(
                        new LocalOutputFile(file))
                .withConf(new org.apache.parquet.conf.PlainParquetConfiguration())
                .withType(schema)
                .build()) {
            var g = new SimpleGroupFactory(schema).newGroup();
            g.addGroup("transaction_header").add("creation_time", 1653552000000L);
            g.add("other", "some user agent");
            w.write(g);
        }
    }
}
