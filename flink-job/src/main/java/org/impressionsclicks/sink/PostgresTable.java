package org.impressionsclicks.sink;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.impressionsclicks.config.SqlIdentifier;

/**
 * One table of the job in PostgreSQL and all it knows about it: the DDL the job runs at start (and
 * {@code conf/sql/init.sql} holds for the default names), the upsert a sink writes it with and that
 * upsert's parameter binding ({@link #accept}), and the select that reads the rows back.
 *
 * @param <T> what the sink writes, one upsert each
 * @param <R> a row as read back
 */
public abstract class PostgresTable<T, R> implements JdbcStatementBuilder<T> {

    private static final long serialVersionUID = 1L;

    private final String name;

    PostgresTable(String name) {
        this.name = SqlIdentifier.check(name);
    }

    public final String name() {
        return name;
    }

    /** {@code CREATE TABLE IF NOT EXISTS}, without a trailing semicolon. */
    public abstract String createStatement();

    /** The upsert of one element; {@link #accept} binds its parameters. */
    public abstract String upsertStatement();

    /** Every column of every row, in key order. */
    public abstract String selectAllQuery();

    /** The current row of a result of {@link #selectAllQuery()}. */
    abstract R readRow(ResultSet result) throws SQLException;

    public final void createIfMissing(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(createStatement());
        }
    }

    /** Every row, in key order. */
    public final List<R> selectAll(Connection connection) throws SQLException {
        List<R> rows = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet result = s.executeQuery(selectAllQuery())) {
            while (result.next()) {
                rows.add(readRow(result));
            }
        }
        return rows;
    }
}
