package org.impressionsclicks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.util.NetUtils;
import org.impressionsclicks.config.CommandLine;
import org.impressionsclicks.config.JobConfig;
import org.impressionsclicks.config.JobOptions;
import org.impressionsclicks.sink.ProcessedFilesSink;
import org.impressionsclicks.testing.Build;
import org.impressionsclicks.testing.Repo;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Dockerfile can't be built here (no Docker engine), so it is checked statically: it agrees with the pom
 * and with {@code conf/config.yaml}.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Repo.root();
    private static final Path MANIFESTS = ROOT.resolve("deploy/kubernetes");
    /** Flink settings of conf/config.yaml that Kubernetes decides (the operator sets addresses and ports). */
    private static final Set<String> SET_BY_KUBERNETES = Set.of("jobmanager.rpc.address", "jobmanager.bind-host",
            "taskmanager.host", "taskmanager.bind-host", "rest.address", "rest.bind-address", "rest.port");
    /** ... and those a FlinkDeployment sets elsewhere or differently on purpose (checked one by one below). */
    private static final Set<String> SET_ELSEWHERE = Set.of("parallelism.default", "jobmanager.memory.process.size",
            "taskmanager.memory.process.size", "execution.checkpointing.dir", "execution.checkpointing.savepoint-dir");

    // ---- conf/config.yaml ----

    private static Configuration conf() {
        return GlobalConfiguration.loadConfiguration(Repo.conf().toString());
    }

    private static Map<String, String> confReporter() {
        return conf().toMap().entrySet().stream().filter(e -> e.getKey().startsWith("metrics.reporter."))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    private static int firstMetricsPort() {
        String range = confReporter().get("metrics.reporter.prom.port");
        assertThat(range).as("conf/config.yaml's reporter port").contains("-"); // a range: several TaskManagers per host
        return NetUtils.getPortRangeFromString(range).next();
    }

    // ---- Dockerfile ----

    private static String dockerfile() throws IOException {
        return Files.readString(ROOT.resolve("Dockerfile"));
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertThat(m.find()).as("%s in the Dockerfile", regex).isTrue();
        return m.group(1);
    }

    /** Where the Dockerfile puts the job jar. */
    private static String imageJarPath() throws IOException {
        return group(dockerfile(), "^COPY (?:--chown=\\S+ )?\\$\\{JOB_JAR\\} (\\S+)$");
    }

    @Test
    void theDockerfileBakesTheShadedJarIntoTheFlinkImageOfThePom() throws IOException {
        String dockerfile = dockerfile();
        assertThat(group(dockerfile, "^ARG FLINK_VERSION=(\\S+)$")).isEqualTo(Build.flinkVersion());
        assertThat(group(dockerfile, "^FROM (\\S+)$")).isEqualTo("flink:${FLINK_VERSION}-java17");
        String jar = group(dockerfile, "^ARG JOB_JAR=(\\S+)$");
        assertThat(jar).isEqualTo("flink-job/target/" + Build.jobJar());
        assertThat(imageJarPath()).isEqualTo("/opt/flink/usrlib/impressions-clicks-job.jar");

        // .dockerignore keeps the context to that jar
        List<String> ignore = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(ignore.get(0)).isEqualTo("*");
        assertThat(ignore).anySatisfy(line -> assertThat(line).startsWith("!")
                .satisfies(l -> assertThat(FileSystems.getDefault().getPathMatcher("glob:" + l.substring(1)).matches(Path.of(jar))).isTrue()));
        // the build tag of its header is the one compose and the FlinkDeployment use
        assertThat(dockerfile).contains("docker build -t " + imageName() + " .");
    }

    @Test
    void theDockerfileSwitchesOnThePrometheusReporterOfConf() throws IOException {
        Map<String, String> baked = new TreeMap<>();
        Matcher m = Pattern.compile("\"-D(metrics\\.reporter\\.[^=]+)=([^\"]+)\"").matcher(dockerfile());
        while (m.find()) {
            baked.put(m.group(1), m.group(2));
        }
        assertThat(baked).isNotEmpty().isEqualTo(confReporter());
        assertThat(group(dockerfile(), "^EXPOSE (\\d+)$")).isEqualTo(String.valueOf(firstMetricsPort()));
    }

    static String imageName() {
        return "impressions-clicks:" + Build.projectVersion();
    }
}
