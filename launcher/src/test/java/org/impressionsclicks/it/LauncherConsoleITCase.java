package org.impressionsclicks.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.impressionsclicks.ImpressionsClicks;
import org.impressionsclicks.postgres.LocalPostgres;
import org.impressionsclicks.testing.EventFiles;
import org.impressionsclicks.testing.HourlyRows;
import org.impressionsclicks.testing.PostgresDatabase;
import org.impressionsclicks.testing.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's console as its user sees it: {@code ./impressions-clicks run} in a JVM of its own
 * with the shipped {@code conf/} (config.yaml and log4j-cli.properties). Every warning is one line
 * naming the file and the reason, no stack trace reaches the console (they go to the log file), and
 * a backfill ends with its summary.
 */
class LauncherConsoleITCase {

    @TempDir
    Path dir;

    private record Console(int exitCode, List<String> lines, String log) {}

    private Console launch(String... args) throws Exception {
        // the launcher's Java 17 flags (its --add-opens/--add-exports), from the file it passes to java
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + Repo.conf().resolve("jvm-java17.args")));
        Path log = dir.resolve("launcher.log");
        command.addAll(List.of(
                "-Dlog4j.configurationFile=" + Repo.conf().resolve("log4j-cli.properties"),
                "-Dlog.file=" + log,
                "-cp",
                System.getProperty("java.class.path"),
                ImpressionsClicks.class.getName(),
                "run",
                "--conf-dir",
                Repo.conf().toString()));
        command.addAll(List.of(args));
        Path console = dir.resolve("console.txt");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(console.toFile())
                .start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not finish: " + Files.readString(console));
        }
        return new Console(
                process.exitValue(),
                Files.readAllLines(console, StandardCharsets.UTF_8),
                Files.exists(log) ? Files.readString(log) : "");
    }

    private static void assertNoStackTrace(List<String> lines) {
        assertThat(lines)
                .noneMatch(l -> l.matches("\\s+at .*")
                        || l.startsWith("Caused by:")
                        || l.matches("\\s*\\.\\.\\. \\d+ more")
                        || l.startsWith("Exception in thread")
                        || l.matches(".*\\(\\w+\\.java:\\d+\\).*"));
    }

    @Test
    void aBackfillWithBadFilesPrintsOneLinePerRejectedFileAndASummaryWithoutStackTraces() throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        EventFiles.moveInto(
                new EventFiles(Files.createDirectories(dir.resolve("staging")))
                        .write("clicks_processed_dk_20220526100000000_1-5_0.parquet", 2, 1),
                input);
        Path notParquet =
                Files.writeString(input.resolve("clicks_processed_dk_20220526101000000_1-5_0.parquet"), "not parquet");
        Path badName = Files.writeString(input.resolve("clicks_processed_dk_20231340101000000_1-5_0.parquet"), "x");

        Console run = launch(
                "--bounded",
                "--no-db",
                "--input",
                input.toString(),
                "--output",
                dir.resolve("out").toString());

        assertThat(run.exitCode()).as(String.join("\n", run.lines())).isEqualTo(3);
        assertNoStackTrace(run.lines());
        // Flink may warn too (a checkpoint triggered as the tasks finish, on a busy machine): one line each as well
        assertThat(run.lines())
                .filteredOn(l -> l.contains("Rejected file"))
                .hasSize(2)
                .anyMatch(l -> l.matches(".* WARN  EventFileFormat - Rejected file file:" + notParquet
                        + ": not a readable Parquet file \\(.+\\)"))
                .anyMatch(l -> l.matches(".* WARN  EventFileFormat - Rejected file file:" + badName
                        + ": impossible timestamp 20231340101000000 in name"));
        assertThat(run.lines())
                .contains("PostgreSQL: none (--no-db); writing CSV only")
                .anyMatch(l -> l.matches("Flink web UI: http://127\\.0\\.0\\.1:\\d+ \\(input .*, bounded: 3 files\\)"))
                .anyMatch(
                        l -> l.matches("Done in [\\d.]+ s: 1 files read, 2 rejected, 0 late; 3 events read, 2 matched; "
                                + "1 hours in 1 days written; [\\d,]+ files/s, [\\d,]+ events/s"))
                .contains("impressions-clicks: 2 file(s) rejected (see the warnings); every other file was counted");
    }

    @Test
    void aBackfillWithoutADatabaseLoadsAnEmbeddedPostgresStartedMeanwhileAndStopsIt() throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        EventFiles files = new EventFiles(Files.createDirectories(dir.resolve("staging")));
        EventFiles.moveInto(files.write("clicks_processed_dk_20220526100000000_1-5_0.parquet", 1, 2), input);
        EventFiles.moveInto(files.write("impressions_processed_dk_20220526110000000_1-5_0.parquet", 2, 1), input);
        // when the tests run as root, the server runs as an unprivileged user that must traverse dir
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = dir.resolve("pg");

        Console run = launch(
                "--bounded",
                "--input",
                input.toString(),
                "--output",
                dir.resolve("out").toString(),
                "--embedded-postgres-dir",
                data.toString());

        assertThat(run.exitCode()).as(String.join("\n", run.lines())).isZero();
        assertNoStackTrace(run.lines());
        assertThat(run.lines())
                .filteredOn(l -> l.startsWith("PostgreSQL: ") || l.startsWith("Flink web UI: "))
                .satisfiesExactly(
                        db -> assertThat(db)
                                .matches("PostgreSQL: none configured; started an embedded PostgreSQL at "
                                        + "jdbc:postgresql://127\\.0\\.0\\.1:\\d+/impressions_clicks \\(data in " + data
                                        + ", stopped when the job ends\\)"),
                        web -> assertThat(web).contains("bounded: 2 files"));
        assertThat(run.lines()).anyMatch(l -> l.startsWith("Done in ") && l.contains(": 2 files read, 0 rejected"));
        assertThat(data.resolve("postmaster.pid")).doesNotExist(); // stopped

        try (LocalPostgres server = LocalPostgres.start(data, 0)) {
            PostgresDatabase db = new PostgresDatabase(server.jdbcUrl("impressions_clicks"), LocalPostgres.USER, null);
            assertThat(HourlyRows.read(db, "csv_data_task"))
                    .containsExactly("2022-05-26T10:00,0,1", "2022-05-26T11:00,2,0");
        }
    }

    @Test
    void aWrongInputIsOneLineAndExitTwo() throws Exception {
        Console run = launch(
                "--bounded",
                "--no-db",
                "--input",
                "/nonexistent/dir",
                "--output",
                dir.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.lines()).containsExactly("impressions-clicks: --input /nonexistent/dir: no such folder");
    }
}
