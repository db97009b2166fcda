package org.impressionsclicks.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.impressionsclicks.ImpressionsClicksJob;
import org.impressionsclicks.testing.Build;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar (built before the integration tests run) that the Dockerfile bakes into the image:
 * the job and its connectors, without what a Flink cluster brings itself, the Prometheus reporter included.
 */
class JobJarITCase {

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
}
