package org.impressionsclicks.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresExtensionTest {

    private static PostgresDatabase beforeAllDatabase;

    @BeforeAll
    static void rememberDatabase(PostgresDatabase database) {
        beforeAllDatabase = database;
    }

    @Test
    void injectsTheSameDatabaseIntoBeforeAllAndTests(PostgresDatabase database) throws SQLException {
        assertThat(database).isEqualTo(beforeAllDatabase);
        assertThat(currentDatabase(database)).isEqualTo("ic_postgresextensiontest");
    }

    @Nested
    class First {
        @Test
        void getsItsOwnFreshDatabase(PostgresDatabase database) throws SQLException {
            assertThat(currentDatabase(database)).isEqualTo("ic_postgresextensiontest_first");
            assertOnlyOwnRow(database, "first");
        }
    }

    @Nested
    class Second {
        private final PostgresDatabase database;

        Second(PostgresDatabase database) {
            this.database = database;
        }

        @Test
        void getsItsOwnFreshDatabase() throws SQLException {
            assertThat(currentDatabase(database)).isEqualTo("ic_postgresextensiontest_second");
            assertOnlyOwnRow(database, "second");
        }
    }

    private static String currentDatabase(PostgresDatabase database) throws SQLException {
        return query(database, "SELECT current_database()").get(0);
    }

    /** Fails if the table already exists (database not fresh) or holds another class's row (database shared). */
    private static void assertOnlyOwnRow(PostgresDatabase database, String owner) throws SQLException {
        try (Connection connection = database.connection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE marker (owner text)");
            statement.execute("INSERT INTO marker VALUES ('" + owner + "')");
        }
        assertThat(query(database, "SELECT owner FROM marker")).containsExactly(owner);
    }

    private static List<String> query(PostgresDatabase database, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = database.connection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
