package org.impressionsclicks.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.impressionsclicks.ImpressionsClicksJob;
import org.impressionsclicks.config.JobConfig;
import org.impressionsclicks.config.JobOptions;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.sink.DatabaseUnavailableException;
import org.impressionsclicks.testing.CapturedLogs;
import org.impressionsclicks.testing.EventFiles;
import org.impressionsclicks.testing.Jobs;
import org.impressionsclicks.testing.MiniClusters;
import org.impressionsclicks.testing.PostgresDatabase;
import org.impressionsclicks.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The database password never shows up in logs (any level, stack traces included), job parameters or error messages. */
@ExtendWith(PostgresExtension.class)
class SecretsITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension();

    private static final String PASSWORD = "pw-7f3a9c-secret";

    @TempDir
    Path staging;

    @TempDir
    Path input;

    @TempDir
    Path output;

    private final PostgresDatabase db;

    SecretsITCase(PostgresDatabase db) {
        this.db = db;
    }

    @Test
    void aFullRunLogsNoPasswordAndPutsNoneInTheJobParameters() throws Exception {
        new EventFiles(staging).drop(input, EventKind.CLICK, "2022-05-26T10:00:00.000", 2, 1);
        JobConfig config = Jobs.config(
                Map.of(JobOptions.PASSWORD_ENV, PASSWORD),
                input,
                output,
                "--bounded",
                "--jdbc-url",
                db.jdbcUrl(),
                "--jdbc-user",
                db.user());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(MiniClusters.PARALLELISM);
        try (CapturedLogs logs = CapturedLogs.capture()) {
            ImpressionsClicksJob.execute(env, config);
            assertThat(logs.lines())
                    .hasSizeGreaterThan(50) // really captured: the job and Flink log a lot at DEBUG
                    .noneMatch(line -> line.contains(PASSWORD));
        }
        assertThat(env.getConfig().getGlobalJobParameters().toMap().toString()).doesNotContain(PASSWORD);
        assertThat(env.getConfiguration().toString()).doesNotContain(PASSWORD);
        assertThat(config.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void anUnreachableDatabaseFailsWithOneLineThatHidesCredentials() {
        JobConfig config = Jobs.config(
                Map.of(JobOptions.PASSWORD_ENV, PASSWORD),
                input,
                output,
                "--bounded",
                "--jdbc-url",
                "jdbc:postgresql://127.0.0.1:1/none?password=" + PASSWORD,
                "--jdbc-user",
                "nobody");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        try (CapturedLogs logs = CapturedLogs.capture()) {
            assertThatThrownBy(() -> ImpressionsClicksJob.execute(env, config))
                    .isInstanceOf(DatabaseUnavailableException.class)
                    .hasMessageStartingWith("cannot use PostgreSQL at jdbc:postgresql://127.0.0.1:1/none?...: ")
                    .satisfies(e ->
                            assertThat(e.getMessage()).doesNotContain(PASSWORD).doesNotContain("\n"));
            assertThat(logs.lines()).noneMatch(line -> line.contains(PASSWORD));
        }
    }
}
