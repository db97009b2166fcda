package org.impressionsclicks.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SortedMap;
import java.util.TreeMap;
import org.impressionsclicks.postgres.LocalPostgres;

/**
 * The PostgreSQL the benchmark loads: the given server if it answers, else one started from the
 * installed or bundled binaries (as the launcher does), so the job always runs with its database.
 */
final class BenchDatabase implements AutoCloseable {

    static final String TABLE = "bench_csv_data_task";
    static final String AUDIT_TABLE = "bench_load_audit";
    private static final String DATABASE = "impressions_clicks_bench";

    final String url;
    final String user;
    private final LocalPostgres started;

    private BenchDatabase(String url, String user, LocalPostgres started) {
        this.url = url;
        this.user = user;
        this.started = started;
    }

    static BenchDatabase open(String url, String user, Path work) {
        try (Connection ignored = DriverManager.getConnection(url, user, null)) {
            return new BenchDatabase(url, user, null);
        } catch (SQLException e) {
            LocalPostgres local =
                    LocalPostgres.start(work.resolve("postgres"), 0).stopOnShutdown();
            local.ensureDatabase(DATABASE);
            System.out.println("PostgreSQL at " + url + " does not answer; started one at " + local.jdbcUrl(DATABASE));
            return new BenchDatabase(local.jdbcUrl(DATABASE), LocalPostgres.USER, local);
        }
    }

    /** Drops the benchmark's tables, so that every run starts from nothing. */
    static void dropTables(String url, String user) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, null);
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
            s.execute("DROP TABLE IF EXISTS " + AUDIT_TABLE);
        }
    }

    /** The benchmark table's rows: date-hour ({@code yyyy-MM-ddTHH}) to {impressions, clicks}. */
    static SortedMap<String, long[]> readHours(Statement statement) throws SQLException {
        SortedMap<String, long[]> hours = new TreeMap<>();
        try (ResultSet rs = statement.executeQuery(
                "SELECT to_char(datetime, 'YYYY-MM-DD\"T\"HH24'), impression_count, click_count FROM " + TABLE)) {
            while (rs.next()) {
                hours.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
            }
        }
        return hours;
    }

    @Override
    public void close() {
        if (started != null) {
            started.close();
        }
    }
}
