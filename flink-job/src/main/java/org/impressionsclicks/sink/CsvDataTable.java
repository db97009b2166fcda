package org.impressionsclicks.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.impressionsclicks.config.SqlIdentifier;

/** The PostgreSQL table of hourly totals. */
public final class CsvDataTable {

    public static final String DEFAULT_NAME = "csv_data_task";

    private CsvDataTable() {}

    public static String ddl(String table) {
        return "CREATE TABLE IF NOT EXISTS " + SqlIdentifier.check(table) + " ("
                + "datetime TIMESTAMP PRIMARY KEY, "
                + "impression_count BIGINT NOT NULL, "
                + "click_count BIGINT NOT NULL, "
                + "audit_loaded_datetime TIMESTAMP NOT NULL)";
    }

    public static void createIfMissing(Connection connection, String table) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(ddl(table));
        }
    }
}
