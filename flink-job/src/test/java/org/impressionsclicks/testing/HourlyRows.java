package org.impressionsclicks.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code csv_data_task} back as {@code "yyyy-MM-ddTHH:mm,impressions,clicks"} strings, by datetime. */
public final class HourlyRows {

    private HourlyRows() {}

    public static List<String> read(PostgresDatabase db, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT datetime, impression_count, click_count FROM " + table + " ORDER BY datetime")) {
            while (rs.next()) {
                rows.add(rs.getTimestamp(1).toLocalDateTime() + "," + rs.getLong(2) + "," + rs.getLong(3));
            }
        }
        return rows;
    }

    /** datetime → audit_loaded_datetime. */
    public static List<Timestamp> auditTimes(PostgresDatabase db, String table) throws SQLException {
        List<Timestamp> times = new ArrayList<>();
        try (Connection c = db.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT audit_loaded_datetime FROM " + table + " ORDER BY datetime")) {
            while (rs.next()) {
                times.add(rs.getTimestamp(1));
            }
        }
        return times;
    }

    public static void drop(PostgresDatabase db, String table) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }
}
