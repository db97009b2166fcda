package org.impressionsclicks.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.impressionsclicks.source.TimeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobConfigTest {

    private static JobConfig parse(Configuration file, Map<String, String> env, String... args) {
        return JobConfig.from(CommandLine.parse(args, file).configuration(), env);
    }

    private static JobConfig parse(String... args) {
        return parse(new Configuration(), Map.of(), args);
    }

    @Test
    void defaultsNeedOnlyTheUserAgent() {
        JobConfig c = parse("--user-agent", "some user agent");
        assertThat(c.input).isEqualTo("raw_data");
        assertThat(c.output).isEqualTo("output");
        assertThat(c.userAgent).isEqualTo("some user agent");
        assertThat(c.bounded).isFalse();
        assertThat(c.timeSource).isEqualTo(TimeSource.FILENAME);
        assertThat(c.timeZone).isEqualTo(JobOptions.DEFAULT_TIME_ZONE);
        assertThat(c.database).isNull();
        assertThat(c.noDb).isFalse();
        assertThat(c.databaseDefaults.table()).isEqualTo("csv_data_task");
        assertThat(c.dates.contains(LocalDate.of(1999, 1, 1))).isTrue();
    }

    @ParameterizedTest(name = "--input {0} {1}: every {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "raw_data            |         | PT0.5S",
                "file:///data/raw    |         | PT0.5S",
                "s3://bucket/raw     |         | PT10S",
                "s3://bucket/raw     | 2 s     | PT2S",
                "raw_data            | 3 s     | PT3S"
            })
    void theListingIntervalDefaultsToTenSecondsOnObjectStorageOnly(String input, String interval, Duration expected) {
        JobConfig c = interval == null
                ? parse("--user-agent", "ua", "--input", input)
                : parse("--user-agent", "ua", "--input", input, "--monitor-interval", interval);
        assertThat(c.monitorInterval).isEqualTo(expected);
    }

    @Test
    void aListingIntervalInTheConfigFileCountsAsSet() {
        Configuration file = new Configuration();
        file.setString("impressions-clicks.monitor-interval", "1 s");
        assertThat(parse(file, Map.of(), "--user-agent", "ua", "--input", "s3://bucket/raw").monitorInterval)
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void commandLineWinsOverTheConfigFile() {
        Configuration file = new Configuration();
        file.setString("impressions-clicks.user-agent", "from file");
        file.setString("impressions-clicks.input", "in-file");
        file.setString("impressions-clicks.out-of-orderness", "2 min");
        JobConfig c = parse(
                file,
                Map.of(),
                "--user-agent=from cli",
                "--bounded",
                "--time-source",
                "RECORD",
                "--time-zone",
                "UTC",
                "--from",
                "2022-05-26",
                "--to",
                "2022-05-27",
                "--jdbc-url",
                "jdbc:postgresql://127.0.0.1:5432/test");
        assertThat(c.userAgent).isEqualTo("from cli");
        assertThat(c.input).isEqualTo("in-file");
        assertThat(c.outOfOrderness).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.bounded).isTrue();
        assertThat(c.timeSource).isEqualTo(TimeSource.RECORD);
        assertThat(c.timeZone).isEqualTo(ZoneId.of("UTC"));
        assertThat(c.dates.contains(LocalDate.of(2022, 5, 25))).isFalse();
        assertThat(c.dates.contains(LocalDate.of(2022, 5, 26))).isTrue();
        assertThat(c.dates.contains(LocalDate.of(2022, 5, 27))).isTrue();
        assertThat(c.dates.contains(LocalDate.of(2022, 5, 28))).isFalse();
        assertThat(c.database.url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
    }

    @Test
    void withDatabaseChangesOnlyTheDatabase() throws IllegalAccessException {
        Map<String, String> env = Map.of(JobOptions.PASSWORD_ENV, "secret");
        JobConfig c = parse(
                new Configuration(), env, "--user-agent", "ua", "--jdbc-table", "totals", "--jdbc-batch-size", "7");
        JobConfig moved = c.withDatabaseAt("jdbc:postgresql://127.0.0.1:5433/embedded", "postgres");

        assertThat(c.database).isNull();
        assertThat(moved.database.url()).isEqualTo("jdbc:postgresql://127.0.0.1:5433/embedded");
        assertThat(moved.database.user()).isEqualTo("postgres");
        assertThat(moved.database.password()).isEqualTo("secret");
        assertThat(moved.database.table()).isEqualTo("totals");
        assertThat(moved.database.batchSize()).isEqualTo(7);
        for (java.lang.reflect.Field field : JobConfig.class.getFields()) {
            if (!java.lang.reflect.Modifier.isStatic(field.getModifiers())
                    && !field.getName().equals("database")) {
                assertThat(field.get(moved)).as(field.getName()).isSameAs(field.get(c));
            }
        }
        assertThat(moved.withDatabase(null).database).isNull();
        assertThatThrownBy(() -> parse("--user-agent", "ua", "--no-db").withDatabaseAt("jdbc:postgresql://x/y", "u"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void passwordComesOnlyFromTheEnvironmentAndIsNeverPrinted() {
        JobConfig c = parse(
                new Configuration(),
                Map.of(JobOptions.PASSWORD_ENV, "s3cret-pw"),
                "--user-agent",
                "ua",
                "--jdbc-url",
                "jdbc:postgresql://db:5432/x",
                "--jdbc-user",
                "loader");
        assertThat(c.database.password()).isEqualTo("s3cret-pw");
        assertThat(c.database.user()).isEqualTo("loader");
        assertThat(c.toString()).doesNotContain("s3cret-pw");
        assertThat(c.database.toString()).doesNotContain("s3cret-pw").contains("loader");
        assertThatThrownBy(() -> parse("--user-agent", "ua", "--jdbc-password", "x"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown option --jdbc-password (see --help)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--user-agent ua --nope 1 | unknown option --nope (see --help)",
                "--user-agent | option --user-agent needs a value (see --help)",
                "--input x | option --user-agent is required (or impressions-clicks.user-agent in conf/config.yaml)",
                "--user-agent ua --time-source clock | invalid value for --time-source: must be 'filename' or 'record', got 'clock'",
                "--user-agent ua --time-zone Mars/Olympus | invalid value for --time-zone: Unknown time-zone ID: Mars/Olympus",
                "--user-agent ua --from 2022-13-01 | invalid value for --from: Text '2022-13-01' could not be parsed: Invalid value for MonthOfYear (valid values 1 - 12): 13",
                "--user-agent ua --from 2022-05-27 --to 2022-05-26 | invalid value for --to: --to 2022-05-26 is before --from 2022-05-27",
                "--user-agent ua --jdbc-url mysql://x | invalid value for --jdbc-url: 'mysql://x' must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db)",
                "--user-agent ua --jdbc-table x;drop | invalid value for --jdbc-table: not a plain lower-case SQL identifier: 'x;drop'",
                "--user-agent ua --audit-table Load_Audit | invalid value for --audit-table: not a plain lower-case SQL identifier: 'Load_Audit'",
                "--user-agent ua --monitor-interval 0s | invalid value for --monitor-interval: 'PT0S' must be positive",
                "--user-agent ua --jdbc-url jdbc:postgresql://h/d --no-db | options --jdbc-url and --no-db contradict each other",
                "stray | unexpected argument 'stray' (options start with --; see --help)",
            })
    void badOptionsGiveOneClearLine(String args, String message) {
        assertThatThrownBy(() -> parse(args.trim().split(" ")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        String usage = CommandLine.usage("usage: x");
        for (var option : JobOptions.ALL) {
            assertThat(usage).contains("--" + JobOptions.cliName(option));
        }
        assertThat(usage)
                .contains("[default: raw_data]")
                .contains("[default: " + JobOptions.DEFAULT_TIME_ZONE.getId() + "]")
                .contains(JobOptions.PASSWORD_ENV);
    }
}
