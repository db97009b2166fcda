package org.impressionsclicks.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * DuckDB, in process, over the event files: one {@code read_parquet} scan per kind (impressions and
 * clicks files have different schemas), the user agent a bound parameter, the date-hour cut from
 * the file name. See {@link EngineReport} for the contract.
 */
public final class DuckDbEngine {

    private DuckDbEngine() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = EngineReport.options(args);
        Path input = Path.of(o.get("input")).toAbsolutePath();
        long start = System.nanoTime();
        SortedMap<String, long[]> counts = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement s = c.createStatement()) {
                s.execute("SET threads = " + Integer.parseInt(o.getOrDefault("parallelism", "2")));
            }
            for (int kind = 0; kind < EngineReport.KINDS.length; kind++) {
                String glob = input.resolve(EngineReport.KINDS[kind] + "_processed_dk_*.parquet")
                        .toString()
                        .replace("'", "''");
                String sql =
                        "SELECT regexp_extract(filename, '_processed_dk_([0-9]{10})', 1) AS date_hour, count(*) AS events"
                                + " FROM read_parquet('" + glob + "', filename = true)"
                                + " WHERE device_settings.user_agent = ? GROUP BY date_hour";
                try (PreparedStatement p = c.prepareStatement(sql)) {
                    p.setString(1, o.get("user-agent"));
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            EngineReport.add(counts, EngineReport.dateHour(r.getString(1)), kind, r.getLong(2));
                        }
                    }
                }
            }
        }
        EngineReport.finish("duckdb", start, counts, -1, Path.of(o.get("out")));
    }
}
