package org.impressionsclicks.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every job option. In a config file the key is {@code impressions-clicks.<name>} (for example in
 * {@code conf/config.yaml}); on the command line it is {@code --<name>}, and the command line wins.
 * The database password is deliberately not an option: it comes only from {@link #PASSWORD_ENV}.
 */
public final class JobOptions {

    public static final String PREFIX = "impressions-clicks.";
    public static final String PASSWORD_ENV = "IC_JDBC_PASSWORD";

    public static final ConfigOption<String> INPUT = key(PREFIX + "input")
            .stringType()
            .defaultValue("raw_data")
            .withDescription("Folder watched for Parquet event files.");
    public static final ConfigOption<String> OUTPUT = key(PREFIX + "output")
            .stringType()
            .defaultValue("output")
            .withDescription("Folder of the daily CSVs (one sub-folder per event date).");
    public static final ConfigOption<String> USER_AGENT = key(PREFIX + "user-agent")
            .stringType()
            .noDefaultValue()
            .withDescription("The user agent to count (exact, case-sensitive). Required.");
    public static final ConfigOption<Boolean> BOUNDED = key(PREFIX + "bounded")
            .booleanType()
            .defaultValue(false)
            .withDescription("Process the files present now, then exit (backfill) instead of watching.");
    public static final ConfigOption<String> FROM = key(PREFIX + "from")
            .stringType()
            .noDefaultValue()
            .withDescription("First file-name date to read, YYYY-MM-DD (inclusive).");
    public static final ConfigOption<String> TO = key(PREFIX + "to")
            .stringType()
            .noDefaultValue()
            .withDescription("Last file-name date to read, YYYY-MM-DD (inclusive).");
    public static final ConfigOption<String> JDBC_URL = key(PREFIX + "jdbc-url")
            .stringType()
            .noDefaultValue()
            .withDescription(
                    "PostgreSQL JDBC URL. Unset: the launcher starts an embedded PostgreSQL (or writes CSV only when it can't).");
    public static final ConfigOption<String> JDBC_USER = key(PREFIX + "jdbc-user")
            .stringType()
            .defaultValue("postgres")
            .withDescription(
                    "PostgreSQL user; the password is read from the environment variable " + PASSWORD_ENV + ".");
    /** The tables' names unless configured (the sink's table classes say what they hold). */
    public static final String DEFAULT_JDBC_TABLE = "csv_data_task";

    public static final String DEFAULT_AUDIT_TABLE = "load_audit";
    public static final ConfigOption<String> JDBC_TABLE = key(PREFIX + "jdbc-table")
            .stringType()
            .defaultValue(DEFAULT_JDBC_TABLE)
            .withDescription("Table of hourly totals (plain lower-case identifier), created if missing.");
    public static final ConfigOption<String> AUDIT_TABLE = key(PREFIX + "audit-table")
            .stringType()
            .defaultValue(DEFAULT_AUDIT_TABLE)
            .withDescription("Table of the load audit (one row per input file), created if missing.");
    public static final ConfigOption<Boolean> NO_DB = key(PREFIX + "no-db")
            .booleanType()
            .defaultValue(false)
            .withDescription("Write the CSVs only; no PostgreSQL.");
    public static final ConfigOption<String> PROCESSED = key(PREFIX + "processed")
            .stringType()
            .defaultValue("keep")
            .withDescription(
                    "What happens to an input file once its day's CSV and PostgreSQL rows are safe (after the checkpoint that covers them): keep, archive (move to --archive-dir) or delete. Rejected files are always kept.");
    public static final ConfigOption<String> ARCHIVE_DIR = key(PREFIX + "archive-dir")
            .stringType()
            .defaultValue("archive")
            .withDescription("Folder processed files are moved to with --processed archive.");
    public static final ConfigOption<String> TIME_SOURCE = key(PREFIX + "time-source")
            .stringType()
            .defaultValue("filename")
            .withDescription(
                    "Event time: 'filename' (date-hour in the file name) or 'record' (transaction_header.creation_time).");
    /** The default of {@link #TIME_ZONE}: the zone of upstream's wall-clock times (in its file names). */
    public static final ZoneId DEFAULT_TIME_ZONE = ZoneId.of("Europe/Copenhagen");

    public static final ConfigOption<String> TIME_ZONE = key(PREFIX + "time-zone")
            .stringType()
            .defaultValue(DEFAULT_TIME_ZONE.getId())
            .withDescription("Zone of the wall-clock date-hour for --time-source record.");
    /** Read by the launcher only (its {@code LauncherConfig}), as is {@link #EMBEDDED_POSTGRES_DIR}. */
    public static final ConfigOption<Integer> WEB_PORT = key(PREFIX + "web-port")
            .intType()
            .defaultValue(8081)
            .withDescription(
                    "Port of the Flink web UI of the embedded cluster (run command only). A watching run uses it and stops with one line if it is taken; a --bounded run takes a free port unless this is set; 0: any free port.");
    /** The listing interval when --input is not a local folder and none is set: a listing costs requests there. */
    public static final Duration OBJECT_STORE_MONITOR_INTERVAL = Duration.ofSeconds(10);

    public static final ConfigOption<Duration> MONITOR_INTERVAL = key(PREFIX + "monitor-interval")
            .durationType()
            .defaultValue(Duration.ofMillis(500))
            .withDescription(
                    "How often the input folder is listed for new files (a local folder is also listed as soon as it changes). "
                            + "The default is for a local folder; when --input is on another file system (s3://...) and this is not set, "
                            + "it is " + OBJECT_STORE_MONITOR_INTERVAL.toSeconds()
                            + " s (on S3 one listing is one request per 1000 objects).");
    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = key(PREFIX + "out-of-orderness")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("How far behind the newest file time the watermark trails.");
    public static final ConfigOption<Duration> ALLOWED_LATENESS = key(PREFIX + "allowed-lateness")
            .durationType()
            .defaultValue(Duration.ofDays(1))
            .withDescription("How long after an hour's window closes a late file still corrects it.");
    public static final ConfigOption<Duration> UPDATE_INTERVAL = key(PREFIX + "update-interval")
            .durationType()
            .defaultValue(Duration.ofMillis(100))
            .withDescription(
                    "Shortest time between two updates of one hour's running total while its files keep coming "
                            + "(a backlog, a burst); a file after a quiet spell updates its hour at once; 0: every file.");
    public static final ConfigOption<Duration> IDLE_TIMEOUT = key(PREFIX + "idle-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("A source subtask without files for this long stops holding back the watermark.");
    public static final ConfigOption<Integer> JDBC_BATCH_SIZE =
            key(PREFIX + "jdbc-batch-size").intType().defaultValue(500).withDescription("Upserts per JDBC batch.");
    public static final ConfigOption<Duration> JDBC_BATCH_INTERVAL = key(PREFIX + "jdbc-batch-interval")
            .durationType()
            .defaultValue(Duration.ofMillis(200))
            .withDescription("Longest time an upsert waits in a batch.");
    public static final ConfigOption<Integer> JDBC_MAX_RETRIES = key(PREFIX + "jdbc-max-retries")
            .intType()
            .defaultValue(3)
            .withDescription("Retries of a failed JDBC batch before the job fails over.");
    public static final ConfigOption<String> EMBEDDED_POSTGRES_DIR = key(PREFIX + "embedded-postgres-dir")
            .stringType()
            .defaultValue(".local/postgres")
            .withDescription("Data folder of the embedded PostgreSQL (run command without --jdbc-url).");

    /** All options, in the order {@code --help} lists them. */
    public static final List<ConfigOption<?>> ALL = List.of(
            INPUT,
            OUTPUT,
            USER_AGENT,
            BOUNDED,
            FROM,
            TO,
            JDBC_URL,
            JDBC_USER,
            JDBC_TABLE,
            AUDIT_TABLE,
            NO_DB,
            PROCESSED,
            ARCHIVE_DIR,
            TIME_SOURCE,
            TIME_ZONE,
            WEB_PORT,
            MONITOR_INTERVAL,
            OUT_OF_ORDERNESS,
            ALLOWED_LATENESS,
            UPDATE_INTERVAL,
            IDLE_TIMEOUT,
            JDBC_BATCH_SIZE,
            JDBC_BATCH_INTERVAL,
            JDBC_MAX_RETRIES,
            EMBEDDED_POSTGRES_DIR);

    private JobOptions() {}

    /** The command-line name of an option, without the leading dashes. */
    public static String cliName(ConfigOption<?> option) {
        return option.key().substring(PREFIX.length());
    }
}
