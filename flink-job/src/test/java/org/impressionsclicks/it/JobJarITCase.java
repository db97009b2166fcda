package org.impressionsclicks.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import org.impressionsclicks.ImpressionsClicksJob;
import org.impressionsclicks.testing.Build;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar (built before the integration tests run) that the Dockerfile bakes into the image:
 * the job and its connectors, without what a Flink cluster brings itself, the Prometheus reporter included,
 * and without what only runs on a developer machine (the launcher, the generator, the PostgreSQL bootstrap).
 */
class JobJarITCase {

    /** This project's part of the jar: the job's packages (module flink-job) and nothing else of ours. */
    private static final Pattern JOB_CLASS =
            Pattern.compile("org/impressionsclicks/((config|job|model|sink|source|util)/.*|ImpressionsClicksJob.*)");

    @Test
    void theJobJarHasTheJobAndItsConnectorsButNeitherFlinkNorItsPrometheusReporter() throws Exception {
        try (JarFile jar = new JarFile(Path.of("target", Build.jobJar()).toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(ImpressionsClicksJob.class.getName());
            List<String> entries = jar.stream().map(ZipEntry::getName).toList();
            assertThat(entries)
                    .contains(
                            "org/impressionsclicks/ImpressionsClicksJob.class",
                            "org/apache/flink/connector/jdbc/core/datastream/sink/JdbcSink.class",
                            "org/postgresql/Driver.class");
            assertThat(entries)
                    .noneMatch(e -> e.startsWith("org/apache/flink/metrics/prometheus/")
                            || e.startsWith("io/prometheus/")
                            || e.startsWith("org/apache/flink/runtime/")
                            || e.startsWith("org/apache/flink/streaming/api/"));
        }
    }

    /**
     * No class of ours outside the job's packages (the launcher's {@code ImpressionsClicks}, {@code RunReporter},
     * {@code LauncherConfig}, ..., the generator's package {@code generate}, the bootstrap's {@code postgres}),
     * and none of what only they use.
     */
    @Test
    void theJobJarHasNoLauncherGeneratorOrPostgresBootstrapNorTheirLibraries() throws Exception {
        try (JarFile jar = new JarFile(Path.of("target", Build.jobJar()).toFile())) {
            List<String> entries = jar.stream().map(ZipEntry::getName).toList();
            assertThat(entries)
                    .as("our classes outside the job's packages")
                    .filteredOn(e -> e.startsWith("org/impressionsclicks/") && !e.endsWith("/"))
                    .filteredOn(e -> !JOB_CLASS.matcher(e).matches())
                    .isEmpty();
            assertThat(entries)
                    .as("the generator's schemas, the bootstrap's unpacking libraries and PostgreSQL binaries")
                    .filteredOn(e -> e.startsWith("schema/")
                            || e.startsWith("org/apache/commons/compress/")
                            || e.startsWith("org/tukaani/")
                            || e.startsWith("postgres-linux-"))
                    .isEmpty();
        }
    }
}
