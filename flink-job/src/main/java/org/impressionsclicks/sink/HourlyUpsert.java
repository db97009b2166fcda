package org.impressionsclicks.sink;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.impressionsclicks.config.SqlIdentifier;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.HourlyCount;

/**
 * The upsert of one hour's running total. Totals, not increments: replaying a total changes only
 * {@code audit_loaded_datetime} (the UTC time of the row's last write).
 */
public final class HourlyUpsert implements JdbcStatementBuilder<HourlyCount> {

    private static final long serialVersionUID = 1L;

    public static String sql(String table) {
        String t = SqlIdentifier.check(table);
        return "INSERT INTO " + t + " (datetime, impression_count, click_count, audit_loaded_datetime)"
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
}
