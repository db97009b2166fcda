package org.impressionsclicks.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import org.impressionsclicks.sink.HourlyTotalsTable;

/** Reads {@code csv_data_task} back as {@code "yyyy-MM-ddTHH:mm,impressions,clicks"} strings, by datetime. */
public final class HourlyRows {

    private HourlyRows() {}

    public static List<String> read(PostgresDatabase db, String table) throws SQLException {
        return db.selectAll(new HourlyTotalsTable(table)).stream()
                .map(row -> row.datetime() + "," + row.impressionCount() + "," + row.clickCount())
                .toList();
    }

    /** datetime → audit_loaded_datetime. */
    public static List<LocalDateTime> auditTimes(PostgresDatabase db, String table) throws SQLException {
        return db.selectAll(new HourlyTotalsTable(table)).stream()
                .map(HourlyTotalsTable.Row::auditLoadedDatetime)
                .toList();
    }

    public static void drop(PostgresDatabase db, String table) throws SQLException {
        try (Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }
}
