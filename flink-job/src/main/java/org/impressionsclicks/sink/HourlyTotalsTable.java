package org.impressionsclicks.sink;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import org.impressionsclicks.config.JobOptions;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.HourlyCount;

/**
 * The PostgreSQL table of hourly totals, {@value #DEFAULT_NAME} unless configured: one row per
 * date-hour. The upsert writes totals, not increments: replaying a total changes only
 * {@code audit_loaded_datetime} (the UTC time of the row's last write).
 */
public final class HourlyTotalsTable extends PostgresTable<HourlyCount, HourlyTotalsTable.Row> {

    private static final long serialVersionUID = 1L;
    /** The product's name of the table. */
    public static final String DEFAULT_NAME = JobOptions.DEFAULT_JDBC_TABLE;

    /** A row as read back. */
    public record Row(
            LocalDateTime datetime, long impressionCount, long clickCount, LocalDateTime auditLoadedDatetime) {}

    public HourlyTotalsTable(String name) {
        super(name);
    }

    @Override
    public String createStatement() {
        return "CREATE TABLE IF NOT EXISTS " + name() + " ("
                + "datetime TIMESTAMP PRIMARY KEY, "
                + "impression_count BIGINT NOT NULL, "
                + "click_count BIGINT NOT NULL, "
                + "audit_loaded_datetime TIMESTAMP NOT NULL)";
    }

    @Override
    public String upsertStatement() {
        return "INSERT INTO " + name() + " (datetime, impression_count, click_count, audit_loaded_datetime)"
                + " VALUES (?, ?, ?, now() AT TIME ZONE 'UTC')"
                + " ON CONFLICT (datetime) DO UPDATE SET"
                + " impression_count = EXCLUDED.impression_count,"
                + " click_count = EXCLUDED.click_count,"
                + " audit_loaded_datetime = EXCLUDED.audit_loaded_datetime";
    }

    @Override
    public void accept(PreparedStatement statement, HourlyCount hour) throws SQLException {
        statement.setObject(1, DateHours.toDateTime(hour.hourStart));
        statement.setLong(2, hour.impressions);
        statement.setLong(3, hour.clicks);
    }

    @Override
    public String selectAllQuery() {
        return "SELECT datetime, impression_count, click_count, audit_loaded_datetime FROM " + name()
                + " ORDER BY datetime";
    }

    @Override
    Row readRow(ResultSet result) throws SQLException {
        return new Row(
                result.getObject(1, LocalDateTime.class),
                result.getLong(2),
                result.getLong(3),
                result.getObject(4, LocalDateTime.class));
    }
}
