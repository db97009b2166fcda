package org.impressionsclicks.sink;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import javax.annotation.Nullable;
import org.impressionsclicks.config.JobOptions;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.FileAudit;

/**
 * The load audit, {@value #DEFAULT_NAME} unless configured: one row per input file (loaded, rejected
 * or late), keyed by file name, so a replay updates the row instead of adding one. {@code late} is
 * sticky: a late file stays late whatever order the rows of one file arrive in.
 */
public final class LoadAuditTable extends PostgresTable<FileAudit, LoadAuditTable.Row> {

    private static final long serialVersionUID = 1L;
    public static final String DEFAULT_NAME = JobOptions.DEFAULT_AUDIT_TABLE;

    /** A row as read back; {@code kind} and {@code eventHour} are null where the file name says neither. */
    public record Row(
            String file,
            @Nullable String kind,
            @Nullable LocalDateTime eventHour,
            long rowsRead,
            long rowsMatched,
            String status,
            @Nullable String reason,
            LocalDateTime processedAt) {}

    public LoadAuditTable(String name) {
        super(name);
    }

    @Override
    public String createStatement() {
        return "CREATE TABLE IF NOT EXISTS " + name() + " ("
                + "file TEXT PRIMARY KEY, kind TEXT, event_hour TIMESTAMP, rows_read BIGINT NOT NULL, "
                + "rows_matched BIGINT NOT NULL, status TEXT NOT NULL, reason TEXT, processed_at TIMESTAMP NOT NULL)";
    }

    @Override
    public String upsertStatement() {
        return "INSERT INTO " + name()
                + " AS a (file, kind, event_hour, rows_read, rows_matched, status, reason, processed_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, now() AT TIME ZONE 'UTC')"
                + " ON CONFLICT (file) DO UPDATE SET"
                + " kind = EXCLUDED.kind,"
                + " event_hour = EXCLUDED.event_hour,"
                + " rows_read = GREATEST(a.rows_read, EXCLUDED.rows_read),"
                + " rows_matched = GREATEST(a.rows_matched, EXCLUDED.rows_matched),"
                + " status = CASE WHEN a.status = 'late' OR EXCLUDED.status = 'late' THEN 'late' ELSE EXCLUDED.status END,"
                + " reason = COALESCE(EXCLUDED.reason, a.reason),"
                + " processed_at = EXCLUDED.processed_at";
    }

    @Override
    public void accept(PreparedStatement statement, FileAudit audit) throws SQLException {
        statement.setString(1, audit.file);
        statement.setString(2, audit.kind);
        if (audit.eventHour == Long.MIN_VALUE) {
            statement.setNull(3, Types.TIMESTAMP);
        } else {
            statement.setObject(3, DateHours.toDateTime(audit.eventHour));
        }
        statement.setLong(4, audit.rowsRead);
        statement.setLong(5, audit.rowsMatched);
        statement.setString(6, audit.status);
        statement.setString(7, audit.reason);
    }

    @Override
    public String selectAllQuery() {
        return "SELECT file, kind, event_hour, rows_read, rows_matched, status, reason, processed_at FROM " + name()
                + " ORDER BY file";
    }

    @Override
    Row readRow(ResultSet result) throws SQLException {
        return new Row(
                result.getString(1),
                result.getString(2),
                result.getObject(3, LocalDateTime.class),
                result.getLong(4),
                result.getLong(5),
                result.getString(6),
                result.getString(7),
                result.getObject(8, LocalDateTime.class));
    }
}
