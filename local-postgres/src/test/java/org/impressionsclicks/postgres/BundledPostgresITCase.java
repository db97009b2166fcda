package org.impressionsclicks.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fallback for machines without PostgreSQL: the server binaries from Maven Central, unpacked and
 * run as an unprivileged user when the JVM is root, exactly as the installed ones would be.
 */
class BundledPostgresITCase {

    @TempDir
    Path tempDir;

    @Test
    void startsAServerFromTheMavenCentralBinaries() throws Exception {
        Path bin = BundledPostgres.binaries().orElseThrow();
        assertThat(bin.resolve("initdb")).isExecutable();
        assertThat(bin.resolve("pg_ctl")).isExecutable();
        assertThat(BundledPostgres.binaries()).contains(bin); // unpacked once, then reused

        Files.setPosixFilePermissions(tempDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (LocalPostgres server = LocalPostgres.start(bin, tempDir.resolve("data"), 0);
                Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), LocalPostgres.USER, null);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(16);
        }
    }
}
