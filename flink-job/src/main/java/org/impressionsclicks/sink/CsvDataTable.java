package org.impressionsclicks.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/** The PostgreSQL table of hourly totals. */
public final class CsvDataTable {

    public static final String DEFAULT_NAME = "csv_data_task";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}(\\.[a-z_][a-z0-9_]{0,62})?");

    private CsvDataTable() {}

    /** Table names go into SQL text, so only plain lower-case identifiers (optionally schema-qualified) pass. */
    public static String checkIdentifier(String table) {
        if (table == null || !IDENTIFIER.matcher(table).matches()) {
            throw new IllegalArgumentException("not a plain lower-case SQL identifier: '" + table + "'");
        }
        return table;
    }

    public static String ddl(String table) {
        return "CREATE TABLE IF NOT EXISTS " + checkIdentifier(table) + " ("
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
