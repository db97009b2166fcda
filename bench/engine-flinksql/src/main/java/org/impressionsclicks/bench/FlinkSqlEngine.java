package org.impressionsclicks.bench;

import static org.apache.flink.table.api.Expressions.$;

import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * The count as a Flink SQL user would write it: a batch job, a filesystem table per kind in the
 * {@code parquet} format declaring only the two nested fields it needs plus the file name
 * (metadata column), a filter and a GROUP BY. See {@link EngineReport} for the contract.
 */
public final class FlinkSqlEngine {

    private FlinkSqlEngine() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = EngineReport.options(args);
        Path input = Path.of(o.get("input")).toAbsolutePath();
        long start = System.nanoTime();
        TableEnvironment tables = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        tables.getConfig().set("parallelism.default", o.getOrDefault("parallelism", "2"));
        // planning would otherwise read every file's footer once more to report statistics
        tables.getConfig().set("table.optimizer.source.report-statistics-enabled", "false");
        SortedMap<String, long[]> counts = new TreeMap<>();
        for (int kind = 0; kind < EngineReport.KINDS.length; kind++) {
            tables.executeSql("CREATE TEMPORARY TABLE " + EngineReport.KINDS[kind] + " ("
                    + " transaction_header ROW<creation_time BIGINT>,"
                    + " device_settings ROW<user_agent STRING>,"
                    + " file_name STRING NOT NULL METADATA FROM 'file.name' VIRTUAL"
                    + ") WITH ('connector' = 'filesystem', 'format' = 'parquet',"
                    + " 'path' = '" + input.toUri() + "',"
                    // the connector also lists sub-folders: the pattern keeps it to files directly in the input
                    + " 'source.path.regex-pattern' = '.*"
                    + Pattern.quote(input.toString()).replace("'", "''") + "/"
                    + EngineReport.KINDS[kind] + "_processed_dk_[0-9]{17}_[^/]*\\.parquet')");
            try (CloseableIterator<Row> rows = tables.from(EngineReport.KINDS[kind])
                    .where($("device_settings").get("user_agent").isEqual(o.get("user-agent")))
                    .select($("file_name")
                            .regexpExtract("_processed_dk_([0-9]{10})", 1)
                            .as("date_hour"))
                    .groupBy($("date_hour"))
                    .select($("date_hour"), $("date_hour").count().as("events"))
                    .execute()
                    .collect()) {
                while (rows.hasNext()) {
                    Row row = rows.next();
                    EngineReport.add(
                            counts, EngineReport.dateHour((String) row.getField(0)), kind, (Long) row.getField(1));
                }
            }
        }
        EngineReport.finish("flinksql", start, counts, -1, Path.of(o.get("out")));
    }
}
