package org.impressionsclicks.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.impressionsclicks.config.SqlIdentifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Table names go into SQL text: only plain lower-case identifiers, optionally schema-qualified, make a table. */
class PostgresTableTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"csv_data_task", "load_audit", "_t1", "reports.csv_data_task"})
    void aPlainIdentifierNamesTheTableInEveryStatement(String name) {
        for (PostgresTable<?, ?> table :
                new PostgresTable<?, ?>[] {new HourlyTotalsTable(name), new LoadAuditTable(name)}) {
            assertThat(table.name()).isEqualTo(name);
            assertThat(table.createStatement()).startsWith("CREATE TABLE IF NOT EXISTS " + name + " (");
            assertThat(table.upsertStatement()).startsWith("INSERT INTO " + name + " ");
            assertThat(table.selectAllQuery()).contains(" FROM " + name + " ORDER BY ");
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "x;drop",
                "CSV_DATA_TASK",
                "1st",
                "a.b.c",
                "csv data",
                "t\"",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" /* 64 characters, one more than PostgreSQL keeps */
            })
    void anythingElseIsRejectedBeforeItReachesSql(String name) {
        String message = "not a plain lower-case SQL identifier: '" + name + "'";
        assertThatThrownBy(() -> SqlIdentifier.check(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> new HourlyTotalsTable(name)).hasMessage(message);
        assertThatThrownBy(() -> new LoadAuditTable(name)).hasMessage(message);
    }
}
