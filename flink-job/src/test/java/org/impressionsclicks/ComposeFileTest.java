package org.impressionsclicks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.util.NetUtils;
import org.impressionsclicks.sink.HourlyTotalsTable;
import org.impressionsclicks.sink.LoadAuditTable;
import org.impressionsclicks.sink.PostgresTable;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * docker-compose.yml can't be run here (no Docker engine), so it is checked statically: it parses,
 * and its services, image, ports, volumes and init SQL agree with the Dockerfile, conf/ and the README.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String REGENERATE_INIT_SQL = "regenerate.init.sql";
    private static final String REGENERATE_COMMAND =
            "mvn -B -pl flink-job -am test -Dtest=ComposeFileTest -Dsurefire.failIfNoSpecifiedTests=false -D"
                    + REGENERATE_INIT_SQL;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws Exception {
        return (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(ROOT.resolve("docker-compose.yml")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) throws Exception {
        return (Map<String, Object>) ((Map<String, Object>) compose().get("services")).get(name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> service, String key) {
        return (List<String>) service.get(key);
    }

    @Test
    void hasTheThreeServicesAndTheReadmeNamesThem() throws Exception {
        assertThat(((Map<?, ?>) compose().get("services")).keySet())
                .map(Object::toString)
                .containsExactlyInAnyOrder("postgres", "jobmanager", "taskmanager");
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertThat(readme).contains("docker-compose.yml", "`jobmanager`", "`taskmanager`", "`postgres`");
    }

    @Test
    void bothFlinkServicesRunTheImageOfTheDockerfileWithTheJarBakedIn() throws Exception {
        // the Dockerfile pins the Flink image to the pom's flink.version and copies the shaded jar
        // (DeploymentFilesTest)
        for (String name : List.of("jobmanager", "taskmanager")) {
            assertThat(service(name).get("build")).as(name).isEqualTo(".");
            assertThat(service(name).get("image")).as(name).isEqualTo(DeploymentFilesTest.imageName());
            assertThat(list(service(name), "volumes"))
                    .as(name)
                    .noneMatch(v -> v.contains("target/") || v.contains(".jar"));
        }
        assertThat(Files.readString(ROOT.resolve("README.md"))).contains("docker compose up -d --build");
    }

    @Test
    void theWebUiAndPrometheusPortsAreThoseOfConf() throws Exception {
        Configuration conf =
                GlobalConfiguration.loadConfiguration(ROOT.resolve("conf").toString());
        assertThat(list(service("jobmanager"), "ports")).contains("127.0.0.1:" + conf.get(RestOptions.PORT) + ":8081");
        // one Flink process per container: each takes the first port of conf's range; published side by side
        int metrics = NetUtils.getPortRangeFromString(conf.getString("metrics.reporter.prom.port", null))
                .next();
        assertThat(list(service("jobmanager"), "ports")).contains("127.0.0.1:" + metrics + ":" + metrics);
        assertThat(list(service("taskmanager"), "ports")).contains("127.0.0.1:" + (metrics + 1) + ":" + metrics);
        assertThat(list(service("jobmanager"), "volumes")).contains("./conf:/opt/flink/conf-job:ro");
        assertThat((String) service("jobmanager").get("command"))
                .contains("--job-classname " + ImpressionsClicksJob.class.getName(), "--conf-dir /opt/flink/conf-job");
    }

    @Test
    void foldersAndCheckpointStateAreVolumesOfBothFlinkServices() throws Exception {
        Configuration conf =
                GlobalConfiguration.loadConfiguration(ROOT.resolve("conf").toString());
        String checkpoints = conf.getString("execution.checkpointing.dir", null);
        assertThat(checkpoints).startsWith("file:///tmp/impressions-clicks/");
        for (String name : List.of("jobmanager", "taskmanager")) {
            assertThat(list(service(name), "volumes"))
                    .contains(
                            "./raw_data:/data/raw_data",
                            "./output:/data/output",
                            "flink-state:/tmp/impressions-clicks");
        }
        assertThat(((Map<?, ?>) compose().get("volumes")).keySet())
                .map(Object::toString)
                .contains("flink-state");
    }

    @Test
    void postgresHasAHealthcheckAndInitSqlEqualToTheJobsTables() throws Exception {
        Map<String, Object> postgres = service("postgres");
        assertThat(postgres.get("healthcheck").toString()).contains("pg_isready");
        assertThat(list(postgres, "volumes")).contains("./conf/sql/init.sql:/docker-entrypoint-initdb.d/init.sql:ro");
        Path init = ROOT.resolve("conf/sql/init.sql");
        if (System.getProperty(REGENERATE_INIT_SQL) != null) {
            Files.writeString(init, initSql());
        }
        assertThat(Files.readString(init))
                .as("conf/sql/init.sql is not the DDL of the job's table classes; regenerate it with "
                        + REGENERATE_COMMAND)
                .isEqualTo(initSql());
    }

    /** conf/sql/init.sql as the table classes say it: their DDL for the default names. */
    private static String initSql() {
        List<PostgresTable<?, ?>> tables = List.of(
                new HourlyTotalsTable(HourlyTotalsTable.DEFAULT_NAME), new LoadAuditTable(LoadAuditTable.DEFAULT_NAME));
        StringBuilder sql = new StringBuilder()
                .append(
                        "-- Tables of impressions-clicks (the job also creates them if missing); used by docker-compose.yml's postgres.\n")
                .append("-- Generated from ")
                .append(tables.stream().map(t -> t.getClass().getSimpleName()).collect(Collectors.joining(", ")))
                .append(" by ComposeFileTest; do not edit, regenerate with\n")
                .append("-- ")
                .append(REGENERATE_COMMAND)
                .append('\n');
        tables.forEach(table -> sql.append(table.createStatement()).append(";\n"));
        return sql.toString();
    }
}
