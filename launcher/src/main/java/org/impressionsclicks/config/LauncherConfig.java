package org.impressionsclicks.config;

import org.apache.flink.configuration.Configuration;

/**
 * The validated options only the local launcher ({@code ./impressions-clicks run}) reads: the web UI
 * port of its embedded cluster and the data folder of its embedded PostgreSQL. They are job options
 * like the others (one list drives {@code --help}, the config file and the command line), but they
 * stay out of {@link JobConfig}, which is what the job needs wherever it runs: a cluster's
 * {@code main} accepts them and does not read them.
 */
public final class LauncherConfig {

    public final int webPort;
    public final String embeddedPostgresDir;

    private LauncherConfig(Configuration c) {
        webPort = JobConfig.get(c, JobOptions.WEB_PORT);
        if (webPort < 0 || webPort > 65535) {
            throw JobConfig.invalid(JobOptions.WEB_PORT, webPort, "must be a port number 0..65535");
        }
        embeddedPostgresDir = JobConfig.nonBlank(c, JobOptions.EMBEDDED_POSTGRES_DIR);
    }

    /** Validates the launcher's options of {@code config} (file plus command line). */
    public static LauncherConfig from(Configuration config) {
        return new LauncherConfig(config);
    }
}
