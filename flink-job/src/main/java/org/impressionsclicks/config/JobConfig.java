package org.impressionsclicks.config;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.impressionsclicks.source.DateRange;
import org.impressionsclicks.source.TimeSource;

/**
 * The validated, typed job configuration. Built from a Flink {@link Configuration} (config file plus
 * command line) and the environment; every problem is a {@link ConfigException} naming the option.
 * It holds what the job needs wherever it runs; the options only the local launcher reads are in
 * its {@code LauncherConfig} (module launcher).
 */
public final class JobConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    public final String input;
    public final String output;
    public final String userAgent;
    public final boolean bounded;
    public final DateRange dates;
    public final TimeSource timeSource;
    public final ZoneId timeZone;
    public final Duration monitorInterval;
    public final Duration outOfOrderness;
    public final Duration allowedLateness;
    public final Duration updateInterval;
    public final Duration idleTimeout;
    public final boolean noDb;
    public final ProcessedFilesMode processed;
    public final String archiveDir;
    /** Null when no {@code jdbc-url} is configured. */
    @Nullable
    public final DatabaseSettings database;
    /** Table and batching settings, also used for a database the launcher provides. */
    public final DatabaseSettings databaseDefaults;

    private JobConfig(Configuration c, Map<String, String> env) {
        input = nonBlank(c, JobOptions.INPUT);
        output = nonBlank(c, JobOptions.OUTPUT);
        userAgent = c.getOptional(JobOptions.USER_AGENT)
                .orElseThrow(() -> new ConfigException(
                        "option --user-agent is required (or impressions-clicks.user-agent in conf/config.yaml)"));
        bounded = get(c, JobOptions.BOUNDED);
        dates = dateRange(c);
        timeSource = parse(JobOptions.TIME_SOURCE, () -> TimeSource.parse(c.get(JobOptions.TIME_SOURCE)));
        timeZone = parse(JobOptions.TIME_ZONE, () -> ZoneId.of(c.get(JobOptions.TIME_ZONE)));
        monitorInterval = c.contains(JobOptions.MONITOR_INTERVAL) || LocalPaths.isLocal(input)
                ? positive(c, JobOptions.MONITOR_INTERVAL)
                : JobOptions.OBJECT_STORE_MONITOR_INTERVAL;
        outOfOrderness = nonNegative(c, JobOptions.OUT_OF_ORDERNESS);
        allowedLateness = nonNegative(c, JobOptions.ALLOWED_LATENESS);
        updateInterval = nonNegative(c, JobOptions.UPDATE_INTERVAL);
        idleTimeout = positive(c, JobOptions.IDLE_TIMEOUT);
        noDb = get(c, JobOptions.NO_DB);
        processed = parse(JobOptions.PROCESSED, () -> ProcessedFilesMode.parse(c.get(JobOptions.PROCESSED)));
        archiveDir = nonBlank(c, JobOptions.ARCHIVE_DIR);
        String table = get(c, JobOptions.JDBC_TABLE);
        parse(JobOptions.JDBC_TABLE, () -> SqlIdentifier.check(table));
        String auditTable = get(c, JobOptions.AUDIT_TABLE);
        parse(JobOptions.AUDIT_TABLE, () -> SqlIdentifier.check(auditTable));
        if (auditTable.equals(table)) {
            throw invalid(JobOptions.AUDIT_TABLE, auditTable, "must differ from --jdbc-table");
        }
        int batchSize = get(c, JobOptions.JDBC_BATCH_SIZE);
        if (batchSize < 1) {
            throw invalid(JobOptions.JDBC_BATCH_SIZE, batchSize, "must be at least 1");
        }
        int retries = get(c, JobOptions.JDBC_MAX_RETRIES);
        if (retries < 0) {
            throw invalid(JobOptions.JDBC_MAX_RETRIES, retries, "must not be negative");
        }
        databaseDefaults = new DatabaseSettings(
                null,
                get(c, JobOptions.JDBC_USER),
                env.get(JobOptions.PASSWORD_ENV),
                table,
                auditTable,
                batchSize,
                positive(c, JobOptions.JDBC_BATCH_INTERVAL),
                retries);
        String url =
                c.getOptional(JobOptions.JDBC_URL).filter(u -> !u.isBlank()).orElse(null);
        if (url != null && !url.startsWith("jdbc:postgresql:")) {
            throw invalid(
                    JobOptions.JDBC_URL,
                    url.replaceAll("\\?.*", "?..."),
                    "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db)");
        }
        if (url != null && noDb) {
            throw new ConfigException("options --jdbc-url and --no-db contradict each other");
        }
        database = url == null ? null : databaseDefaults.withUrl(url, databaseDefaults.user());
    }

    /** Validates {@code config} (file plus command line) with the password from {@code env}. */
    public static JobConfig from(Configuration config, Map<String, String> env) {
        return new JobConfig(config, env);
    }

    /** A copy of {@code from} writing to {@code database} instead of the configured one. */
    private JobConfig(JobConfig from, @Nullable DatabaseSettings database) {
        input = from.input;
        output = from.output;
        userAgent = from.userAgent;
        bounded = from.bounded;
        dates = from.dates;
        timeSource = from.timeSource;
        timeZone = from.timeZone;
        monitorInterval = from.monitorInterval;
        outOfOrderness = from.outOfOrderness;
        allowedLateness = from.allowedLateness;
        updateInterval = from.updateInterval;
        idleTimeout = from.idleTimeout;
        noDb = from.noDb;
        processed = from.processed;
        archiveDir = from.archiveDir;
        databaseDefaults = from.databaseDefaults;
        this.database = database;
    }

    /**
     * This configuration with another database (one the launcher started, or a test's), or with none
     * for CSV only.
     */
    public JobConfig withDatabase(@Nullable DatabaseSettings database) {
        if (database != null && noDb) {
            throw new IllegalStateException("a database for a configuration with --no-db");
        }
        return new JobConfig(this, database);
    }

    /** This configuration with the database at {@code url}, with the configured tables and batching. */
    public JobConfig withDatabaseAt(String url, String user) {
        return withDatabase(databaseDefaults.withUrl(url, user));
    }

    private static DateRange dateRange(Configuration c) {
        LocalDate from = c.getOptional(JobOptions.FROM)
                .map(v -> parse(JobOptions.FROM, () -> LocalDate.parse(v)))
                .orElse(null);
        LocalDate to = c.getOptional(JobOptions.TO)
                .map(v -> parse(JobOptions.TO, () -> LocalDate.parse(v)))
                .orElse(null);
        return parse(JobOptions.TO, () -> new DateRange(from, to));
    }

    static <T> T get(Configuration c, ConfigOption<T> option) {
        return parse(option, () -> c.get(option));
    }

    static String nonBlank(Configuration c, ConfigOption<String> option) {
        String value = get(c, option);
        if (value == null || value.isBlank()) {
            throw invalid(option, value, "must not be empty");
        }
        return value;
    }

    private static Duration positive(Configuration c, ConfigOption<Duration> option) {
        Duration d = get(c, option);
        if (d.isNegative() || d.isZero()) {
            throw invalid(option, d, "must be positive");
        }
        return d;
    }

    private static Duration nonNegative(Configuration c, ConfigOption<Duration> option) {
        Duration d = get(c, option);
        if (d.isNegative() || d.compareTo(Duration.ofDays(3650)) > 0) {
            throw invalid(option, d, "must be between 0 and 3650 days");
        }
        return d;
    }

    private static <T> T parse(ConfigOption<?> option, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new ConfigException(
                    "invalid value for --" + JobOptions.cliName(option) + ": " + firstLine(e.getMessage()));
        }
    }

    static ConfigException invalid(ConfigOption<?> option, Object value, String why) {
        return new ConfigException("invalid value for --" + JobOptions.cliName(option) + ": '" + value + "' " + why);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    /** The effective configuration for the startup log line; contains no secret. */
    @Override
    public String toString() {
        return "input=" + input + ", output=" + output + ", user-agent='" + userAgent + "', bounded=" + bounded
                + ", dates=" + dates + ", monitor-interval=" + monitorInterval + ", time-source="
                + timeSource.name().toLowerCase() + ", time-zone=" + timeZone
                + ", out-of-orderness=" + outOfOrderness + ", allowed-lateness=" + allowedLateness
                + ", update-interval=" + updateInterval
                + ", processed=" + processed.name().toLowerCase()
                + (processed == ProcessedFilesMode.ARCHIVE ? " to " + archiveDir : "");
    }
}
