package org.impressionsclicks.sink;

import javax.annotation.Nullable;
import org.apache.flink.api.connector.sink2.Sink;
import org.impressionsclicks.config.DatabaseSettings;
import org.impressionsclicks.config.JobConfig;
import org.impressionsclicks.model.DailyReport;
import org.impressionsclicks.model.FileAudit;
import org.impressionsclicks.model.HourlyCount;

/**
 * The job's sinks, passed to the topology together so that tests can wire the very same graph.
 *
 * @param csv the daily CSV files
 * @param hourlyTotals the PostgreSQL sink of hourly totals, or null for CSV only
 * @param loadAudit the PostgreSQL sink of the load audit, or null for none
 * @param processed receives the names of input files whose results are safe
 */
public record JobSinks(
        Sink<DailyReport> csv,
        @Nullable Sink<HourlyCount> hourlyTotals,
        @Nullable Sink<FileAudit> loadAudit,
        Sink<String> processed) {

    /** The production sinks of {@code config}: PostgreSQL ones only if it has a database. */
    public static JobSinks of(JobConfig config) {
        DatabaseSettings db = config.database;
        return new JobSinks(
                DailyCsvSink.create(config.output),
                db == null ? null : PostgresSink.hourlyTotals(db),
                db == null ? null : PostgresSink.loadAudit(db),
                new ProcessedFilesSink(config.processed, config.input, config.archiveDir));
    }
}
