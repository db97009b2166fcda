package org.impressionsclicks.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The options only the launcher reads, validated after the job's (see {@code JobConfigTest}). */
class LauncherConfigTest {

    /** What the launcher validates: the job's options, then its own. */
    private static LauncherConfig parseForLauncher(String... args) {
        Configuration c = CommandLine.parse(args, new Configuration()).configuration();
        JobConfig.from(c, Map.of());
        return LauncherConfig.from(c);
    }

    @Test
    void defaultsAreTheWebUiPortAndALocalDataFolder() {
        LauncherConfig launcher = parseForLauncher("--user-agent", "some user agent");
        assertThat(launcher.webPort).isEqualTo(8081);
        assertThat(launcher.embeddedPostgresDir).isEqualTo(".local/postgres");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--user-agent ua --web-port 70000 | invalid value for --web-port: '70000' must be a port number 0..65535",
                "--user-agent ua --web-port abc | invalid value for --web-port: Could not parse value 'abc' for key 'impressions-clicks.web-port'.",
            })
    void badOptionsGiveOneClearLine(String args, String message) {
        assertThatThrownBy(() -> parseForLauncher(args.trim().split(" ")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
