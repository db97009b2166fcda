package org.impressionsclicks.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.impressionsclicks.ImpressionsClicksJob;
import org.impressionsclicks.config.CommandLine;
import org.impressionsclicks.config.JobConfig;

/** Builds job configurations for tests the way the command line does. */
public final class Jobs {

    public static final String REFERENCE_USER_AGENT = "some user agent";

    private Jobs() {}

    /** A config reading {@code input}, writing {@code output}, for {@link #REFERENCE_USER_AGENT}, plus {@code extra} options. */
    public static JobConfig config(Path input, Path output, String... extra) {
        return config(Map.of(), input, output, extra);
    }

    public static JobConfig config(Map<String, String> env, Path input, Path output, String... extra) {
        return config(env, input.toString(), output.toString(), extra);
    }

    /** The same with {@code --input} and {@code --output} as given ({@code s3://bucket/prefix}, say). */
    public static JobConfig config(String input, String output, String... extra) {
        return config(Map.of(), input, output, extra);
    }

    private static JobConfig config(Map<String, String> env, String input, String output, String... extra) {
        List<String> args =
                new ArrayList<>(List.of("--input", input, "--output", output, "--user-agent", REFERENCE_USER_AGENT));
        args.addAll(List.of(extra));
        return JobConfig.from(
                CommandLine.parse(args.toArray(new String[0]), new Configuration())
                        .configuration(),
                new HashMap<>(env));
    }

    /** Runs {@code config} to its end at {@link MiniClusters#PARALLELISM} on the test's cluster, with its own database settings. */
    public static JobExecutionResult execute(JobConfig config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(MiniClusters.PARALLELISM);
        return ImpressionsClicksJob.execute(env, config);
    }

    /**
     * Cancels {@code job} and waits until it has stopped, so that its source no longer lists a
     * folder the test is about to delete.
     */
    public static void cancel(JobClient job) throws Exception {
        job.cancel().get();
        Await.until(
                Duration.ofSeconds(30),
                "job " + job.getJobID() + " to stop",
                () -> job.getJobStatus().get().isGloballyTerminalState());
    }
}
