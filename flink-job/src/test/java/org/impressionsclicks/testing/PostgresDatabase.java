package org.impressionsclicks.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

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
}
