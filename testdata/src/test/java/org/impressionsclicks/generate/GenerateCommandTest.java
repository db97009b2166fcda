package org.impressionsclicks.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {

    @TempDir
    Path dir;

    @Test
    void theCommandRejectsBadOptionsWithOneLineAndExitCode2() {
        assertThat(run("--files", "3")).startsWith("2|impressions-clicks generate: option --out is required");
        assertThat(run("--out", dir.toString(), "--files", "x", "--rows-per-file", "1"))
                .startsWith("2|impressions-clicks generate: ");
        assertThat(run("--out", dir.toString(), "--files", "1", "--rows-per-file", "1", "--late-fraction", "2"))
                .startsWith("2|impressions-clicks generate: files must be");
        assertThat(run("--bogus")).startsWith("2|impressions-clicks generate: unknown option --bogus");
        assertThat(run(
                        "--out",
                        dir.resolve("data").toString(),
                        "--files",
                        "2",
                        "--rows-per-file",
                        "3",
                        "--expected",
                        dir.resolve("exp").toString()))
                .startsWith("0|");
        assertThat(dir.resolve("exp")).isDirectory();
    }

    @Test
    void rowsPerFileIsACountOrARange() throws Exception {
        for (String bad : new String[] {"7-3", "-1", "3-", "x", "3-7-9", "99999999999"}) {
            assertThat(run("--out", dir.resolve("bad").toString(), "--files", "1", "--rows-per-file", bad))
                    .as(bad)
                    .startsWith("2|impressions-clicks generate: rows-per-file")
                    .endsWith("(see --help)");
        }
        assertThat(dir.resolve("bad")).doesNotExist();
        assertThat(run("--out", dir.resolve("range").toString(), "--files", "5", "--rows-per-file", "3-7"))
                .startsWith("0|");
        try (Stream<Path> files = Files.list(dir.resolve("range"))) {
            assertThat(files.count()).isEqualTo(5);
        }
    }

    @Test
    void helpNamesTheRangeSyntax() {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(GenerateCommand.run(new String[] {"--help"})).isZero();
        } finally {
            System.setOut(out);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("--rows-per-file M|MIN-MAX")
                .contains("--rows-per-file")
                .contains("N, or MIN-MAX");
    }

    private static String run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = GenerateCommand.run(args);
            String text = captured.toString(StandardCharsets.UTF_8);
            assertThat(text.lines().count()).isLessThanOrEqualTo(1);
            return code + "|" + text.trim();
        } finally {
            System.setErr(err);
        }
    }
}
