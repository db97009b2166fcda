package org.impressionsclicks.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.FileAudit;
import org.impressionsclicks.model.HourlyCount;
import org.impressionsclicks.testing.PostgresDatabase;
import org.impressionsclicks.testing.PostgresExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each table class against PostgreSQL: its DDL, its upsert with its binding and its select agree, and
 * writing the same elements twice leaves the same rows. Tables are created once and emptied after each test.
 */
@ExtendWith(PostgresExtension.class)
class PostgresTablesITCase {

    private static final LocalDateTime TEN = LocalDateTime.parse("2022-05-26T10:00");
    private static final HourlyTotalsTable HOURS = new HourlyTotalsTable(HourlyTotalsTable.DEFAULT_NAME);
    private static final LoadAuditTable AUDIT = new LoadAuditTable(LoadAuditTable.DEFAULT_NAME);

    private final PostgresDatabase db;

    PostgresTablesITCase(PostgresDatabase db) {
        this.db = db;
    }

    @BeforeAll
    static void createTables(PostgresDatabase db) throws SQLException {
        try (Connection c = db.connection()) {
            HOURS.createIfMissing(c);
            AUDIT.createIfMissing(c);
        }
    }

    @AfterEach
    void emptyTables() throws SQLException {
        try (Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + HOURS.name() + ", " + AUDIT.name());
        }
    }

    private <T> void upsert(PostgresTable<T, ?> table, List<T> elements) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement s = c.prepareStatement(table.upsertStatement())) {
            for (T element : elements) {
                table.accept(s, element);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    @Test
    void hourlyTotalsReadBackAsWrittenAndARewriteChangesOnlyTheAuditTime() throws Exception {
        long ten = DateHours.toMillis(TEN);
        List<HourlyCount> totals =
                List.of(new HourlyCount(ten + DateHours.HOUR_MILLIS, 0, 5), new HourlyCount(ten, 4, 3));

        upsert(HOURS, totals);
        List<HourlyTotalsTable.Row> first = db.selectAll(HOURS);
        Thread.sleep(20);
        upsert(HOURS, totals);
        List<HourlyTotalsTable.Row> second = db.selectAll(HOURS);

        for (List<HourlyTotalsTable.Row> rows : List.of(first, second)) {
            assertThat(rows)
                    .extracting(
                            HourlyTotalsTable.Row::datetime,
                            HourlyTotalsTable.Row::impressionCount,
                            HourlyTotalsTable.Row::clickCount)
                    .containsExactly(tuple(TEN, 4L, 3L), tuple(TEN.plusHours(1), 0L, 5L));
        }
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).auditLoadedDatetime()).isAfter(first.get(i).auditLoadedDatetime());
        }
    }

    @Test
    void anAuditRowIsUpdatedInPlaceAndALateFileStaysLate() throws Exception {
        String file = "clicks_processed_dk_20220526100000000_1-5_0.parquet";
        String reason =
                "3 matching events of hour 2022-05-26T10 arrived after the allowed lateness and are not counted";
        FileAudit late = new FileAudit(file, "clicks", DateHours.toMillis(TEN), 5, 3, FileAudit.LATE, reason);
        FileAudit unnamed =
                new FileAudit("x.parquet", null, Long.MIN_VALUE, 0, 0, FileAudit.REJECTED, "name does not match");

        upsert(AUDIT, List.of(late, unnamed));
        upsert(
                AUDIT,
                List.of(new FileAudit(file, "clicks", DateHours.toMillis(TEN), 5, 3, FileAudit.LOADED, null), unnamed));

        assertThat(db.selectAll(AUDIT))
                .extracting(
                        LoadAuditTable.Row::file,
                        LoadAuditTable.Row::kind,
                        LoadAuditTable.Row::eventHour,
                        LoadAuditTable.Row::rowsRead,
                        LoadAuditTable.Row::rowsMatched,
                        LoadAuditTable.Row::status,
                        LoadAuditTable.Row::reason)
                .containsExactly(
                        tuple(file, "clicks", TEN, 5L, 3L, FileAudit.LATE, reason),
                        tuple("x.parquet", null, null, 0L, 0L, FileAudit.REJECTED, "name does not match"));
    }
}
