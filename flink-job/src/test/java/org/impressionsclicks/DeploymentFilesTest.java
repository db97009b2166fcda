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
import org.impressionsclicks.config.ProcessedFilesMode;
import org.impressionsclicks.testing.Build;
import org.impressionsclicks.testing.Repo;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Dockerfile and the Kubernetes manifests of {@code deploy/kubernetes/} can't be built or applied here
 * (no Docker engine, no cluster), so they are checked statically: they parse, and they agree with the pom,
 * with each other, with {@code conf/config.yaml} and with the job's options.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Repo.root();
    private static final Path MANIFESTS = ROOT.resolve("deploy/kubernetes");
    /** Flink settings of conf/config.yaml that Kubernetes decides (the operator sets addresses and ports). */
    private static final Set<String> SET_BY_KUBERNETES = Set.of(
            "jobmanager.rpc.address",
            "jobmanager.bind-host",
            "taskmanager.host",
            "taskmanager.bind-host",
            "rest.address",
            "rest.bind-address",
            "rest.port");
    /** ... and those a FlinkDeployment sets elsewhere or differently on purpose (checked one by one below). */
    private static final Set<String> SET_ELSEWHERE = Set.of(
            "parallelism.default",
            "jobmanager.memory.process.size",
            "taskmanager.memory.process.size",
            "execution.checkpointing.dir",
            "execution.checkpointing.savepoint-dir");

    // ---- conf/config.yaml ----

    private static Configuration conf() {
        return GlobalConfiguration.loadConfiguration(Repo.conf().toString());
    }

    private static Map<String, String> confReporter() {
        return conf().toMap().entrySet().stream()
                .filter(e -> e.getKey().startsWith("metrics.reporter."))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    private static int firstMetricsPort() {
        String range = confReporter().get("metrics.reporter.prom.port");
        assertThat(range)
                .as("conf/config.yaml's reporter port")
                .contains("-"); // a range: several TaskManagers per host
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
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .toList();
        assertThat(ignore.get(0)).isEqualTo("*");
        assertThat(ignore)
                .anySatisfy(line -> assertThat(line)
                        .startsWith("!")
                        .satisfies(l -> assertThat(FileSystems.getDefault()
                                        .getPathMatcher("glob:" + l.substring(1))
                                        .matches(Path.of(jar)))
                                .isTrue()));
        // the build tag of its header is the one compose and the FlinkDeployment use
        assertThat(dockerfile).contains("docker build -t " + imageName() + " .");
    }

    @Test
    void theDockerfileSwitchesOnThePrometheusReporterOfConf() throws IOException {
        Map<String, String> baked = new TreeMap<>();
        Matcher m =
                Pattern.compile("\"-D(metrics\\.reporter\\.[^=]+)=([^\"]+)\"").matcher(dockerfile());
        while (m.find()) {
            baked.put(m.group(1), m.group(2));
        }
        assertThat(baked).isNotEmpty().isEqualTo(confReporter());
        assertThat(group(dockerfile(), "^EXPOSE (\\d+)$")).isEqualTo(String.valueOf(firstMetricsPort()));
    }

    @Test
    void theReadmeAndTheScriptsNameTheJobJarAsTheBuildWritesIt() throws IOException {
        // the shaded jar's name has no version (flink-job/pom.xml's finalName), so no file names an older build's
        assertThat(Build.jobJar()).doesNotContain(Build.projectVersion());
        Pattern jar = Pattern.compile("flink-job/target/impressions-clicks[^\\s`\"']*");
        List<Path> files = new ArrayList<>(
                List.of(ROOT.resolve("README.md"), ROOT.resolve("Dockerfile"), ROOT.resolve(".dockerignore")));
        try (Stream<Path> scripts = Files.list(ROOT.resolve("scripts"))) {
            scripts.filter(f -> f.toString().endsWith(".sh")).forEach(files::add);
        }
        List<String> named = new ArrayList<>();
        for (Path file : files) {
            jar.matcher(Files.readString(file))
                    .results()
                    .map(r -> ROOT.relativize(file) + ": " + r.group())
                    .forEach(named::add);
        }
        assertThat(named).isNotEmpty().allSatisfy(n -> assertThat(n).endsWith(": flink-job/target/" + Build.jobJar()));
    }

    static String imageName() {
        return "impressions-clicks:" + Build.projectVersion();
    }

    // ---- Kubernetes ----

    private static List<Map<String, Object>> manifests() throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(MANIFESTS)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))) {
                    assertThat(doc).as("a manifest in %s", file).isInstanceOf(Map.class);
                    docs.add(map(doc));
                }
            }
        }
        return docs;
    }

    private static Map<String, Object> manifest(String kind) throws IOException {
        List<Map<String, Object>> found =
                manifests().stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertThat(found).as("%s manifests", kind).hasSize(1);
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }

    private static Map<String, Object> at(Map<String, Object> m, String... path) {
        Map<String, Object> cur = m;
        for (String key : path) {
            assertThat(cur).as("key %s", key).containsKey(key);
            cur = map(cur.get(key));
        }
        return cur;
    }

    private static Map<String, Object> spec() throws IOException {
        return at(manifest("FlinkDeployment"), "spec");
    }

    private static Map<String, String> flinkConfiguration() throws IOException {
        Map<String, String> config = new TreeMap<>();
        at(spec(), "flinkConfiguration").forEach((key, value) -> {
            assertThat(value)
                    .as("flinkConfiguration %s (the operator's CRD takes strings: quote it)", key)
                    .isInstanceOf(String.class);
            config.put(key, (String) value);
        });
        return config;
    }

    private static Map<String, Object> mainContainer() throws IOException {
        List<Map<String, Object>> containers = list(
                        at(spec(), "podTemplate", "spec").get("containers"))
                .stream()
                .map(DeploymentFilesTest::map)
                .filter(c -> "flink-main-container".equals(c.get("name")))
                .toList();
        assertThat(containers)
                .as("the operator's main container in the pod template")
                .hasSize(1);
        return containers.get(0);
    }

    private static Map<String, Map<String, Object>> env() throws IOException {
        Map<String, Map<String, Object>> env = new HashMap<>();
        list(mainContainer().get("env")).forEach(e -> env.put((String) map(e).get("name"), map(e)));
        return env;
    }

    private static List<String> jobArgs() throws IOException {
        return list(at(spec(), "job").get("args")).stream().map(String::valueOf).toList();
    }

    @Test
    void theManifestsParseAndAreAFlinkDeploymentASecretAndAPodMonitor() throws IOException {
        assertThat(manifests())
                .extracting(d -> d.get("kind"))
                .containsExactlyInAnyOrder("FlinkDeployment", "Secret", "PodMonitor");
        assertThat(manifests()).allSatisfy(d -> assertThat(d).containsKeys("apiVersion", "kind", "metadata"));
        assertThat(manifest("FlinkDeployment").get("apiVersion")).isEqualTo("flink.apache.org/v1beta1");
        assertThat(manifest("PodMonitor").get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
    }

    @Test
    void theFlinkDeploymentRunsTheImageOfTheDockerfileInApplicationModeOnThePomsFlinkVersion() throws IOException {
        String[] version = Build.flinkVersion().split("\\.");
        assertThat(spec().get("flinkVersion")).isEqualTo("v" + version[0] + "_" + version[1]);
        assertThat((String) spec().get("image")).endsWith("/" + imageName());
        Map<String, Object> job = at(spec(), "job");
        assertThat(job.get("jarURI")).isEqualTo("local://" + imageJarPath());
        assertThat(job.get("entryClass")).isEqualTo(ImpressionsClicksJob.class.getName());
        assertThat(job).containsEntry("upgradeMode", "savepoint").containsEntry("state", "running");
        assertThat(env().get("ENABLE_BUILT_IN_PLUGINS"))
                .containsEntry("value", "flink-s3-fs-hadoop-" + Build.flinkVersion() + ".jar");
    }

    @Test
    void stateIsOnS3WithKubernetesHighAvailability() throws IOException {
        Map<String, String> config = flinkConfiguration();
        assertThat(config).containsEntry("high-availability.type", "kubernetes");
        for (String key : List.of(
                "high-availability.storageDir",
                "execution.checkpointing.dir",
                "execution.checkpointing.savepoint-dir")) {
            assertThat(config.get(key)).as(key).startsWith("s3://");
        }
    }

    @Test
    void theFlinkSettingsAreThoseOfConfExceptWhatKubernetesDecides() throws IOException {
        Configuration conf = conf();
        Map<String, String> config = flinkConfiguration();
        conf.toMap().forEach((key, value) -> {
            if (!key.startsWith(JobOptions.PREFIX)
                    && !SET_BY_KUBERNETES.contains(key)
                    && !SET_ELSEWHERE.contains(key)) {
                assertThat(config)
                        .as("flinkConfiguration, like conf/config.yaml")
                        .containsEntry(key, value);
            }
        });
        assertThat(String.valueOf(at(spec(), "job").get("parallelism")))
                .isEqualTo(conf.toMap().get("parallelism.default"));
        assertThat(at(spec(), "jobManager", "resource").get("memory"))
                .isEqualTo(conf.toMap().get("jobmanager.memory.process.size"));
        assertThat(at(spec(), "taskManager", "resource").get("memory"))
                .isEqualTo(conf.toMap().get("taskmanager.memory.process.size"));
        assertThat(SET_BY_KUBERNETES).allSatisfy(key -> assertThat(config).doesNotContainKey(key));
    }

    @Test
    void confTheFlinkDeploymentAndTheReadmeNameTheJobsDefaultTimeZone() throws IOException {
        String zone = JobOptions.DEFAULT_TIME_ZONE.getId();
        assertThat(conf().toMap()).as("conf/config.yaml").containsEntry(JobOptions.TIME_ZONE.key(), zone);
        assertThat(flinkConfiguration()).as("the FlinkDeployment").containsEntry(JobOptions.TIME_ZONE.key(), zone);
        assertThat(Files.readString(ROOT.resolve("README.md")))
                .as("README's row of --time-zone")
                .contains("| `" + JobOptions.cliName(JobOptions.TIME_ZONE) + "` | `" + zone + "` |");
    }

    @Test
    void everyJobOptionIsOneOfTheJobAndTogetherTheyAreAValidConfig() throws IOException {
        Set<String> keys = JobOptions.ALL.stream().map(o -> o.key()).collect(Collectors.toSet());
        Map<String, String> jobKeys = new TreeMap<>(flinkConfiguration());
        jobKeys.keySet().removeIf(key -> !key.startsWith(JobOptions.PREFIX));
        assertThat(jobKeys).isNotEmpty();
        assertThat(keys).containsAll(jobKeys.keySet());

        String readme = Files.readString(ROOT.resolve("README.md"));
        Set<String> cliNames = JobOptions.ALL.stream().map(JobOptions::cliName).collect(Collectors.toSet());
        List<String> args = jobArgs();
        List<String> options = args.stream()
                .filter(a -> a.startsWith("--"))
                .map(a -> a.substring(2))
                .toList();
        assertThat(options).containsAll(List.of("input", "output", "jdbc-url", "user-agent"));
        for (String option : options) {
            assertThat(cliNames.contains(option) || option.equals(CommandLine.CONF_DIR))
                    .as("--%s is an option of the job", option)
                    .isTrue();
            assertThat(readme)
                    .as("README's row of --%s", option)
                    .containsAnyOf("| `" + option + "` |", "| `--" + option + "` |");
        }
        // the job's own parser takes them: the config the job's main builds from the operator's config.yaml and the
        // args
        JobConfig config = JobConfig.from(
                CommandLine.parse(args.toArray(new String[0]), Configuration.fromMap(jobKeys))
                        .configuration(),
                Map.of(JobOptions.PASSWORD_ENV, "from-the-secret"));
        assertThat(config.input).startsWith("s3://");
        assertThat(config.output).startsWith("s3://");
        assertThat(config.archiveDir).startsWith("s3://");
        assertThat(config.processed).isEqualTo(ProcessedFilesMode.ARCHIVE);
        assertThat(config.database).isNotNull();
        assertThat(args.get(args.indexOf("--" + CommandLine.CONF_DIR) + 1))
                .as("the operator's config.yaml")
                .isEqualTo("/opt/flink/conf");
    }

    @Test
    void thePasswordComesFromTheSecretAndNoManifestHoldsARealOne() throws IOException {
        Map<String, Object> secretRef = at(env().get(JobOptions.PASSWORD_ENV), "valueFrom", "secretKeyRef");
        Map<String, Object> secret = manifest("Secret");
        assertThat(secretRef)
                .containsEntry("name", at(secret, "metadata").get("name"))
                .containsEntry("key", JobOptions.PASSWORD_ENV);
        assertThat(secretRef).doesNotContainKey("optional");
        Map<String, Object> values = at(secret, "stringData");
        assertThat(values).containsKey(JobOptions.PASSWORD_ENV);
        assertThat(values.values()).as("placeholders only").allMatch("REPLACE_ME"::equals);
        assertThat(env().values())
                .as("literal values in the pod's environment")
                .allSatisfy(e -> assertThat(e.containsKey("value"))
                        .as("%s", e.get("name"))
                        .isEqualTo(!((String) e.get("name")).matches(".*(PASSWORD|SECRET|KEY_ID).*")));
        assertThat(flinkConfiguration().keySet())
                .noneMatch(k -> k.contains("password") || k.contains("secret-key") || k.contains("access-key"));
        assertThat(String.join(" ", jobArgs())).doesNotContain("password");
    }

    @Test
    void thePrometheusPortIsTheOneOfConfAndThePodMonitorScrapesIt() throws IOException {
        Map<String, String> config = flinkConfiguration();
        confReporter().forEach((key, value) -> assertThat(config).containsEntry(key, value));
        List<Map<String, Object>> ports = list(mainContainer().get("ports")).stream()
                .map(DeploymentFilesTest::map)
                .toList();
        Map<String, Object> metrics = ports.stream()
                .filter(p -> "metrics".equals(p.get("name")))
                .findFirst()
                .orElseThrow();
        assertThat(metrics.get("containerPort"))
                .isEqualTo(firstMetricsPort()); // one Flink process per pod: the range's first

        Map<String, Object> monitor = at(manifest("PodMonitor"), "spec");
        assertThat(at(monitor, "selector", "matchLabels"))
                .containsEntry(
                        "app", at(manifest("FlinkDeployment"), "metadata").get("name"));
        assertThat(list(monitor.get("podMetricsEndpoints")))
                .singleElement()
                .satisfies(
                        e -> assertThat(map(e)).containsEntry("port", "metrics").containsEntry("path", "/metrics"));
    }
}
