package org.impressionsclicks.sink;

import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.impressionsclicks.config.DatabaseSettings;
import org.impressionsclicks.model.FileAudit;
import org.impressionsclicks.model.HourlyCount;

/**
 * The at-least-once JDBC sinks. Delivery is at least once, but every write is an idempotent upsert
 * of an absolute value (an hour's total, a file's audit row), so a replay after a failure leaves the
 * same rows: effectively exactly once, without XA.
 */
public final class PostgresSink {

    private PostgresSink() {}

    /** Upserts of hourly running totals into {@code db.table()}. */
    public static JdbcSink<HourlyCount> hourlyTotals(DatabaseSettings db) {
        return create(db, new HourlyTotalsTable(db.table()));
    }

    /** Upserts of load-audit rows into {@code db.auditTable()}. */
    public static JdbcSink<FileAudit> loadAudit(DatabaseSettings db) {
        return create(db, new LoadAuditTable(db.auditTable()));
    }

    private static <T> JdbcSink<T> create(DatabaseSettings db, PostgresTable<T, ?> table) {
        JdbcConnectionOptions.JdbcConnectionOptionsBuilder connection =
                new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(db.url())
                        .withDriverName("org.postgresql.Driver")
                        .withUsername(db.user());
        if (db.password() != null) {
            connection.withPassword(db.password());
        }
        return JdbcSink.<T>builder()
                .withQueryStatement(table.upsertStatement(), table)
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(db.batchSize())
                        .withBatchIntervalMs(db.batchInterval().toMillis())
                        .withMaxRetries(db.maxRetries())
                        .build())
                .buildAtLeastOnce(connection.build());
    }
}
