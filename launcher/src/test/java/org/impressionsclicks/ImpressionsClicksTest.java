package org.impressionsclicks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.impressionsclicks.config.JobOptions;
import org.impressionsclicks.testing.DailyOutputs;
import org.impressionsclicks.testing.EventFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's command-line contract: exit codes, messages and what it prints. */
class ImpressionsClicksTest {

    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) {}

    private static Outcome dispatch(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = ImpressionsClicks.dispatch(args);
            return new Outcome(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void helpListsEveryOptionWithDefaultsAndExitsZero() {
        Outcome help = dispatch("run", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out())
                .contains(
                        "--input",
                        "--output",
                        "--user-agent",
                        "--bounded",
                        "--from",
                        "--to",
                        "--jdbc-url",
                        "--jdbc-user",
                        "--no-db",
                        "--time-source",
                        "--time-zone",
                        "--web-port",
                        "[default: raw_data]",
                        "IC_JDBC_PASSWORD");
        assertThat(dispatch("--help").code()).isZero();
    }

    @Test
    void badOptionsPrintOneLineAndExitTwo() {
        assertBad(dispatch("run", "--bogus"), "impressions-clicks: unknown option --bogus (see --help)");
        assertBad(
                dispatch("run", "--user-agent", "ua", "--time-source", "wall"),
                "impressions-clicks: invalid value for --time-source: must be 'filename' or 'record', got 'wall'");
        assertBad(
                dispatch("run", "--conf-dir", dir.toString(), "--input", "x"),
                "impressions-clicks: invalid value for --conf-dir: no config.yaml in " + dir);
        assertBad(dispatch("fly"), "impressions-clicks: unknown command 'fly' (run, generate, bench; see --help)");
        assertThat(dispatch().code()).isEqualTo(2);
    }

    @Test
    void aBackfillWithRejectedFilesCountsTheRestAndExitsThree() throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        Path staging = Files.createDirectories(dir.resolve("staging"));
        EventFiles.moveInto(
                new EventFiles(staging).write("clicks_processed_dk_20220526100000000_1-5_0.parquet", 2, 1), input);
        Files.writeString(input.resolve("clicks_processed_dk_20220526101000000_1-5_0.parquet"), "not parquet");
        String[] args = {
            "run",
            "--bounded",
            "--no-db",
            "--input",
            input.toString(),
            "--output",
            dir.resolve("out").toString(),
            "--user-agent",
            "some user agent",
            "--web-port",
            "0",
            "--conf-dir",
            dir.toString()
        };
        Files.writeString(dir.resolve("config.yaml"), "parallelism.default: 2\n");

        Outcome outcome = dispatch(args);

        assertThat(outcome.code()).isEqualTo(ImpressionsClicks.EXIT_REJECTED_FILES);
        assertThat(outcome.err())
                .isEqualTo("impressions-clicks: 1 file(s) rejected (see the warnings); every other file was counted"
                        + System.lineSeparator());
        assertThat(outcome.out())
                .contains(
                        "PostgreSQL: none (--no-db); writing CSV only",
                        "Done in ",
                        ": 1 files read, 1 rejected, 0 late; 3 events read, 2 matched; 1 hours in 1 days written; ");
        assertThat(DailyOutputs.currentCsvs(dir.resolve("out")))
                .containsExactly(
                        Map.entry("2022-05-26", "date,hour,impression_count,click_count\n2022-05-26,10,0,2\n"));
    }

    @Test
    void aWrongInputFolderIsOneLineAndExitTwoBeforeAnyClusterStarts() throws Exception {
        long start = System.nanoTime();
        Outcome missing = dispatch(
                "run",
                "--bounded",
                "--input",
                "/nonexistent/dir",
                "--output",
                dir.resolve("x").toString(),
                "--user-agent",
                "a",
                "--no-db");
        assertBad(missing, "impressions-clicks: --input /nonexistent/dir: no such folder");
        assertThat(missing.out()).isEmpty(); // not even the database line: nothing was started
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertBad(
                dispatch("run", "--input", file.toString(), "--user-agent", "a", "--no-db"),
                "impressions-clicks: --input " + file + ": not a folder");
        assertBad(
                dispatch(
                        "run",
                        "--input",
                        dir.toString(),
                        "--output",
                        file.resolve("out").toString(),
                        "--user-agent",
                        "a",
                        "--no-db"),
                "impressions-clicks: --output " + file.resolve("out")
                        + ": cannot create the folder (FileSystemException: " + file.resolve("out")
                        + ": Not a directory)");
    }

    @Test
    void anArchiveFolderOnAnotherFileSystemIsOneLineAndExitTwo() throws Exception {
        Path otherFileSystem = Path.of("/dev/shm");
        assertThat(Files.getFileStore(otherFileSystem))
                .as("/dev/shm is a file system of its own here")
                .isNotEqualTo(Files.getFileStore(dir));
        Path archive =
                otherFileSystem.resolve("ic-archive-" + ProcessHandle.current().pid());
        assertBad(
                dispatch(
                        "run",
                        "--input",
                        dir.toString(),
                        "--processed",
                        "archive",
                        "--archive-dir",
                        archive.toString(),
                        "--user-agent",
                        "a",
                        "--no-db"),
                "impressions-clicks: --archive-dir " + archive + ": is on another file system than --input " + dir
                        + " (processed files are moved by rename; use a folder on the same file system)");
        assertThat(archive).doesNotExist();
    }

    @Test
    void aWatcherOnATakenWebPortIsOneLineTellingToPassWebPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertBad(
                    dispatch(
                            "run",
                            "--input",
                            dir.toString(),
                            "--output",
                            dir.resolve("out").toString(),
                            "--user-agent",
                            "a",
                            "--no-db",
                            "--web-port",
                            String.valueOf(port)),
                    "impressions-clicks: the web UI port " + port + " is taken (is another job watching?); "
                            + "pass --web-port with a free port, or --web-port 0 for any free one");
        }
    }

    @Test
    void aBackfillRunsNextToAJobHoldingTheDefaultWebPort() throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        EventFiles.moveInto(
                new EventFiles(Files.createDirectories(dir.resolve("staging")))
                        .write("clicks_processed_dk_20220526100000000_1-5_0.parquet", 2, 1),
                input);
        Files.writeString(dir.resolve("config.yaml"), "parallelism.default: 2\n");
        int defaultPort = JobOptions.WEB_PORT.defaultValue();
        ServerSocket holder = null;
        try {
            try {
                holder = new ServerSocket(defaultPort, 1, InetAddress.getLoopbackAddress());
            } catch (BindException alreadyTaken) {
                // another process holds it: the situation under test as well
            }
            Outcome outcome = dispatch(
                    "run",
                    "--bounded",
                    "--no-db",
                    "--input",
                    input.toString(),
                    "--output",
                    dir.resolve("out").toString(),
                    "--user-agent",
                    "some user agent",
                    "--conf-dir",
                    dir.toString());

            assertThat(outcome.code()).as(outcome.err()).isZero();
            assertThat(outcome.out())
                    .containsPattern("Flink web UI: http://127\\.0\\.0\\.1:(?!" + defaultPort + "\\b)\\d+ ");
            assertThat(DailyOutputs.currentCsvs(dir.resolve("out")))
                    .containsExactly(
                            Map.entry("2022-05-26", "date,hour,impression_count,click_count\n2022-05-26,10,0,2\n"));
        } finally {
            if (holder != null) {
                holder.close();
            }
        }
    }

    private static void assertBad(Outcome outcome, String line) {
        assertThat(outcome.code()).isEqualTo(2);
        assertThat(outcome.err()).isEqualTo(line + System.lineSeparator());
    }
}
