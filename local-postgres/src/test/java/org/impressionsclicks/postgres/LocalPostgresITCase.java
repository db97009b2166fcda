package org.impressionsclicks.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs a private server next to any system one, as the fallback when no PostgreSQL is running. */
class LocalPostgresITCase {

    @TempDir
    Path tempDir;

    private Path dataDir;

    @BeforeEach
    void letServerUserReachTempDir() throws IOException {
        // when the tests run as root, the server runs as an unprivileged user that must traverse tempDir
        Files.setPosixFilePermissions(tempDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        dataDir = tempDir.resolve("pg").resolve("data");
    }

    @Test
    void keepsRowsAcrossRestartsOnTheSameDataDirectory() throws SQLException {
        try (LocalPostgres server = LocalPostgres.start(dataDir, 0)) {
            server.ensureDatabase("it");
            server.ensureDatabase("it");
            try (Connection connection = connect(server, "it");
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (id int PRIMARY KEY, label text)");
                statement.execute("INSERT INTO kept VALUES (1, 'survives restarts')");
            }
        }
        try (LocalPostgres server = LocalPostgres.start(dataDir, 0);
                Connection connection = connect(server, "it");
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT label FROM kept WHERE id = 1")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("survives restarts");
        }
    }

    @Test
    void serverRunsAsAnUnprivilegedUser() throws SQLException {
        try (LocalPostgres server = LocalPostgres.start(dataDir, 0);
                Connection connection = connect(server, "postgres");
                Statement statement = connection.createStatement();
                ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
            assertThat(pid.next()).isTrue();
            assertThat(ProcessHandle.of(pid.getLong(1))
                            .flatMap(process -> process.info().user()))
                    .hasValueSatisfying(user -> assertThat(user).isNotEqualTo("root"));
        }
    }

    @Test
    void failsWithOneLineNamingTheCauseFromTheServerLog() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> LocalPostgres.start(dataDir, taken.getLocalPort()))
                    .isInstanceOf(LocalPostgresException.class)
                    .hasMessageContaining("Address already in use")
                    .hasMessageNotContaining("\n");
        }
    }

    private static Connection connect(LocalPostgres server, String database) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(database), LocalPostgres.USER, null);
    }
}
