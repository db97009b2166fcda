package org.impressionsclicks.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.impressionsclicks.sink.PostgresTable;

/**
 * A PostgreSQL database for tests, injected by {@link PostgresExtension}.
 *
 * @param jdbcUrl  the {@code jdbc:postgresql://} url of the database
 * @param user     the user to connect as
 * @param password the password, or null when the server trusts the user (a password may also be in the url)
 */
public record PostgresDatabase(String jdbcUrl, String user, String password) {

    /** Opens a new connection; the caller closes it. */
    public Connection connection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /** Every row of one of the job's tables, read back with the table's own select. */
    public <R> List<R> selectAll(PostgresTable<?, R> table) throws SQLException {
        try (Connection c = connection()) {
            return table.selectAll(c);
        }
    }
}
