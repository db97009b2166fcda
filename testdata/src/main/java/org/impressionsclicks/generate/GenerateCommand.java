package org.impressionsclicks.generate;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.impressionsclicks.config.CommandLine;
import org.impressionsclicks.config.ConfigException;

/** {@code impressions-clicks generate}: writes a dataset and the reference user agent's expected CSVs. */
public final class GenerateCommand {

    private static final String PREFIX = "generate.";
    static final ConfigOption<String> OUT = key(PREFIX + "out")
            .stringType()
            .noDefaultValue()
            .withDescription("Folder to write the Parquet files into (created if missing). Required.");
    static final ConfigOption<Integer> FILES =
            key(PREFIX + "files").intType().noDefaultValue().withDescription("Number of files. Required.");
    static final ConfigOption<String> ROWS = key(PREFIX + "rows-per-file")
            .stringType()
            .noDefaultValue()
            .withDescription(
                    "Events per file: N, or MIN-MAX for a count drawn per file from the seed (real files have 3-7;"
                            + " each count gets its own template, filled row by row once, so keep ranges narrow). Required.");
    static final ConfigOption<Integer> DAYS =
            key(PREFIX + "days").intType().defaultValue(2).withDescription("Days the file times are spread over.");
    static final ConfigOption<String> START =
            key(PREFIX + "start").stringType().defaultValue("2022-05-26").withDescription("First day, YYYY-MM-DD.");
    static final ConfigOption<Integer> USER_AGENTS = key(PREFIX + "user-agents")
            .intType()
            .defaultValue(20)
            .withDescription("Distinct user agents (Zipf-skewed; the most frequent is 'some user agent').");
    static final ConfigOption<Long> SEED = key(PREFIX + "seed")
            .longType()
            .defaultValue(1L)
            .withDescription("Random seed; the same seed gives the same files.");
    static final ConfigOption<Double> LATE_FRACTION = key(PREFIX + "late-fraction")
            .doubleType()
            .defaultValue(0.0)
            .withDescription("Share of files written after newer ones (late arrivals).");
    static final ConfigOption<String> EXPECTED = key(PREFIX + "expected")
            .stringType()
            .noDefaultValue()
            .withDescription("Folder for the expected daily CSVs of 'some user agent'; <out>-expected when not given.");
    static final List<ConfigOption<?>> ALL =
            List.of(OUT, FILES, ROWS, DAYS, START, USER_AGENTS, SEED, LATE_FRACTION, EXPECTED);

    private static final String SYNOPSIS =
            "usage: impressions-clicks generate --out DIR --files N --rows-per-file M|MIN-MAX [options]";

    private GenerateCommand() {}

    /** Runs the command; returns the exit code (2 for bad options). */
    public static int run(String[] args) {
        Path out;
        Path expected;
        DataGenerator.Spec spec;
        try {
            CommandLine cli = CommandLine.parse(args, new Configuration(), PREFIX, ALL, false);
            if (cli.help()) {
                System.out.println(SYNOPSIS + "\n\nOptions:\n" + CommandLine.optionList(PREFIX, ALL));
                return 0;
            }
            Configuration c = cli.configuration();
            out = Path.of(required(c, OUT));
            expected =
                    c.getOptional(EXPECTED).map(Path::of).orElse(out.resolveSibling(out.getFileName() + "-expected"));
            spec = new DataGenerator.Spec(
                    required(c, FILES),
                    RowsPerFile.parse(required(c, ROWS)),
                    c.get(DAYS),
                    LocalDate.parse(c.get(START)),
                    c.get(USER_AGENTS),
                    c.get(SEED),
                    c.get(LATE_FRACTION));
        } catch (ConfigException e) {
            System.err.println("impressions-clicks generate: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException | DateTimeException e) {
            System.err.println("impressions-clicks generate: "
                    + e.getMessage().lines().findFirst().orElse("") + " (see --help)");
            return 2;
        }
        try {
            long start = System.nanoTime();
            DataGenerator.Result result = DataGenerator.generate(out, spec);
            result.writeExpected(expected);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "Wrote %d files with %d events (%d of '%s') to %s in %.1f s (%.0f events/s); expected CSVs in %s%n",
                    result.files().size(),
                    result.events(),
                    result.matchingEvents(),
                    DataGenerator.REFERENCE_USER_AGENT,
                    out,
                    seconds,
                    result.events() / Math.max(seconds, 1e-9),
                    expected);
            return 0;
        } catch (Exception e) {
            System.err.println("impressions-clicks generate: failed: " + e);
            return 1;
        }
    }

    private static <T> T required(Configuration c, ConfigOption<T> option) {
        return c.getOptional(option)
                .orElseThrow(() -> new ConfigException(
                        "option --" + option.key().substring(PREFIX.length()) + " is required (see --help)"));
    }
}
