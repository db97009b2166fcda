package org.impressionsclicks.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;

import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark in local mode, the old system's logic: read each kind's Parquet files, keep the user
 * agent's rows, take the date-hour from the input file name, group and count. See
 * {@link EngineReport} for the contract.
 */
public final class SparkEngine {

    private SparkEngine() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = EngineReport.options(args);
        Path input = Path.of(o.get("input")).toAbsolutePath();
        int parallelism = Integer.parseInt(o.getOrDefault("parallelism", "2"));
        long start = System.nanoTime();
        SortedMap<String, long[]> counts = new TreeMap<>();
        SparkSession spark = SparkSession.builder()
                .master("local[" + parallelism + "]")
                .appName("impressions-clicks-bench")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", String.valueOf(parallelism))
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
        try {
            for (int kind = 0; kind < EngineReport.KINDS.length; kind++) {
                for (Row row : spark.read()
                        .parquet(input.resolve(EngineReport.KINDS[kind] + "_processed_dk_*.parquet")
                                .toString())
                        .where(col("device_settings.user_agent").equalTo(lit(o.get("user-agent"))))
                        .select(regexp_extract(input_file_name(), "_processed_dk_([0-9]{10})", 1)
                                .as("date_hour"))
                        .groupBy("date_hour")
                        .count()
                        .collectAsList()) {
                    EngineReport.add(counts, EngineReport.dateHour(row.getString(0)), kind, row.getLong(1));
                }
            }
        } finally {
            spark.stop();
        }
        EngineReport.finish("spark", start, counts, -1, Path.of(o.get("out")));
    }
}
