package org.impressionsclicks.sink;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.impressionsclicks.config.DatabaseSettings;

/** The job's two tables, created over JDBC before the job starts so that its sinks find them. */
public final class PostgresTables {

    private PostgresTables() {}

    /**
     * Creates the hourly totals and load audit tables if missing; a server that can't be reached is a
     * one-line error.
     *
     * @throws DatabaseUnavailableException if the database can't be reached or used
     */
    public static void createIfMissing(DatabaseSettings db) {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        if (db.password() != null) {
            props.setProperty("password", db.password());
        }
        try (Connection c = DriverManager.getConnection(db.url(), props)) {
            new HourlyTotalsTable(db.table()).createIfMissing(c);
            new LoadAuditTable(db.auditTable()).createIfMissing(c);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot use PostgreSQL at " + db.safeUrl() + ": " + e.getMessage());
        }
    }
}
