package org.impressionsclicks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.impressionsclicks.testing.DailyOutputs;
import org.impressionsclicks.testing.EventFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's command-line contract: exit codes and messages, without starting a cluster. */
class ImpressionsClicksTest {

    @TempDir Path dir;

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
        assertThat(help.out()).contains("--input", "--output", "--user-agent", "--bounded", "--from", "--to", "--jdbc-url",
                "--jdbc-user", "--no-db", "--time-source", "--time-zone", "--web-port", "[default: raw_data]", "IC_JDBC_PASSWORD");
        assertThat(dispatch("--help").code()).isZero();
    }

    @Test
    void badOptionsPrintOneLineAndExitTwo() {
        assertBad(dispatch("run", "--bogus"), "impressions-clicks: unknown option --bogus (see --help)");
        assertBad(dispatch("run", "--user-agent", "ua", "--time-source", "wall"),
                "impressions-clicks: invalid value for --time-source: must be 'filename' or 'record', got 'wall'");
        assertBad(dispatch("run", "--conf-dir", dir.toString(), "--input", "x"),
                "impressions-clicks: invalid value for --conf-dir: no config.yaml in " + dir);
        assertBad(dispatch("fly"), "impressions-clicks: unknown command 'fly' (run, generate, bench; see --help)");
        assertThat(dispatch().code()).isEqualTo(2);
    }

    @Test
    void aBackfillWithRejectedFilesCountsTheRestAndExitsThree() throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        Path staging = Files.createDirectories(dir.resolve("staging"));
        EventFiles.moveInto(new EventFiles(staging)
                .write("clicks_processed_dk_20220526100000000_1-5_0.parquet", 2, 1), input);
        Files.writeString(input.resolve("clicks_processed_dk_20220526101000000_1-5_0.parquet"), "not parquet");
        String[] args = {"run", "--bounded", "--no-db", "--input", input.toString(), "--output", dir.resolve("out").toString(),
            "--user-agent", "some user agent", "--web-port", "0", "--conf-dir", dir.toString()};
        Files.writeString(dir.resolve("config.yaml"), "parallelism.default: 2\n");

        Outcome outcome = dispatch(args);

        assertThat(outcome.code()).isEqualTo(ImpressionsClicks.EXIT_REJECTED_FILES);
        assertThat(outcome.err()).isEqualTo("impressions-clicks: 1 file(s) rejected (see the warnings); every other file was counted"
                + System.lineSeparator());
        assertThat(outcome.out()).contains("PostgreSQL: none (--no-db); writing CSV only");
        assertThat(DailyOutputs.currentCsvs(dir.resolve("out")))
                .containsExactly(Map.entry("2022-05-26", "date,hour,impression_count,click_count\n2022-05-26,10,0,2\n"));
    }

    private static void assertBad(Outcome outcome, String line) {
        assertThat(outcome.code()).isEqualTo(2);
        assertThat(outcome.err()).isEqualTo(line + System.lineSeparator());
    }
}
