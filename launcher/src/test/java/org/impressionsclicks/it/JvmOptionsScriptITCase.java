package org.impressionsclicks.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.impressionsclicks.testing.Repo;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/jvm-options.sh}, the job JVM's options for {@code run} that the launcher sources and the
 * benchmark reads: C1 only; for a backfill also the serial collector (unless {@code IC_JAVA_OPTS}
 * names one), a 128 MB initial heap, one compiler thread inlining less, and huge pages exactly where the kernel
 * offers them.
 */
class JvmOptionsScriptITCase {

    private record Result(int exitCode, List<String> lines) {}

    private static Result run(String javaOpts, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                "bash", Repo.root().resolve("bin/jvm-options.sh").toString());
        builder.command().addAll(List.of(args));
        builder.redirectErrorStream(true);
        if (javaOpts == null) {
            builder.environment().remove("IC_JAVA_OPTS");
        } else {
            builder.environment().put("IC_JAVA_OPTS", javaOpts);
        }
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(
                process.exitValue(),
                new String(out, StandardCharsets.UTF_8).lines().toList());
    }

    /** Whether this machine's kernel backs memory with huge pages on request or always. */
    private static boolean hugePagesOffered() throws Exception {
        Path mode = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        if (!Files.isReadable(mode)) {
            return false;
        }
        String modes = Files.readString(mode);
        return modes.contains("[madvise]") || modes.contains("[always]");
    }

    @Test
    void aWatchingRunIsOnC1Only() throws Exception {
        assertThat(run(null, "--watching")).isEqualTo(new Result(0, List.of("-XX:TieredStopAtLevel=1")));
    }

    @Test
    void aBackfillHasTheSerialCollectorASmallHeapOneCompilerThreadInliningLessAndHugePagesWhereOffered()
            throws Exception {
        Result bounded = run(null, "--bounded");
        assertThat(bounded.exitCode()).isZero();
        assertThat(bounded.lines())
                .startsWith(
                        "-XX:TieredStopAtLevel=1",
                        "-Xms128m",
                        "-XX:CICompilerCount=1",
                        "-XX:C1MaxInlineSize=20",
                        "-XX:+UseSerialGC");
        if (hugePagesOffered()) {
            assertThat(bounded.lines()).endsWith("-XX:+UseTransparentHugePages").hasSize(6);
        } else {
            assertThat(bounded.lines())
                    .doesNotContain("-XX:+UseTransparentHugePages")
                    .hasSize(5);
        }
    }

    @Test
    void aCollectorInIcJavaOptsReplacesTheSerialOne() throws Exception {
        Result bounded = run("-Xmx2g -XX:+UseG1GC", "--bounded");
        assertThat(bounded.exitCode()).isZero();
        assertThat(bounded.lines()).contains("-Xms128m").doesNotContain("-XX:+UseSerialGC");
        assertThat(run("-Xmx2g", "--bounded").lines()).contains("-XX:+UseSerialGC");
    }

    @Test
    void anUnknownModeIsOneLineOfUsage() throws Exception {
        Result result = run(null, "--other");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.lines()).singleElement().asString().startsWith("usage: ");
    }
}
