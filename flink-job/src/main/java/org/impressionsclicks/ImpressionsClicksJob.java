package org.impressionsclicks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import javax.annotation.Nullable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.CountTrigger;
import org.apache.flink.util.OutputTag;
import org.impressionsclicks.config.CommandLine;
import org.impressionsclicks.config.ConfigException;
import org.impressionsclicks.config.DatabaseSettings;
import org.impressionsclicks.config.JobConfig;
import org.impressionsclicks.job.CountAggregate;
import org.impressionsclicks.job.DailyReportFunction;
import org.impressionsclicks.job.EventTime;
import org.impressionsclicks.job.FileAudits;
import org.impressionsclicks.job.FileMetricsFilter;
import org.impressionsclicks.job.HourWindowResult;
import org.impressionsclicks.job.LateFileReporter;
import org.impressionsclicks.job.ReadFiles;
import org.impressionsclicks.model.DailyReport;
import org.impressionsclicks.model.FileAudit;
import org.impressionsclicks.model.FileCount;
import org.impressionsclicks.model.HourlyCount;
import org.impressionsclicks.sink.DailyCsvSink;
import org.impressionsclicks.sink.HourlyTotalsTable;
import org.impressionsclicks.sink.LoadAuditTable;
import org.impressionsclicks.sink.PostgresSink;
import org.impressionsclicks.sink.ProcessedFilesSink;
import org.impressionsclicks.source.EventFileFormat;
import org.impressionsclicks.source.EventFileReader;
import org.impressionsclicks.source.EventFilesSource;
import org.impressionsclicks.source.OldestFirstSplitAssigner;
import org.impressionsclicks.source.UserAgentMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job: watch a folder of Parquet event files, count one user agent's impressions and clicks per
 * date-hour in event-time windows, write a CSV per event date and upsert every hour's running total
 * into PostgreSQL.
 *
 * <p>{@link #main} is the entry point on a Flink cluster ({@code flink run}); the local launcher
 * ({@link ImpressionsClicks}) builds an embedded cluster and calls {@link #execute} the same way.
 */
public final class ImpressionsClicksJob {

    public static final String JOB_NAME = "impressions-clicks";

    /** Operator uids: savepoints map state by these, so they never change. */
    public static final String SOURCE_UID = "event-files-source";

    public static final String EVENT_TIME_UID = "event-time";
    public static final String FILE_METRICS_UID = "file-metrics";
    public static final String HOURLY_TOTALS_UID = "hourly-totals";
    public static final String LATE_FILES_UID = "late-files";
    public static final String AUDIT_ROWS_UID = "load-audit-rows";
    public static final String READ_FILES_UID = "read-files";
    public static final String PROCESSED_FILES_UID = "processed-files";
    public static final String AUDIT_SINK_UID = "load-audit-sink";
    public static final String DAILY_REPORTS_UID = "daily-reports";
    public static final String CSV_SINK_UID = "daily-csv-sink";
    public static final String POSTGRES_SINK_UID = "postgres-sink";

    /** Counts that come after their hour's allowed lateness. */
    public static final OutputTag<FileCount> LATE = new OutputTag<>("late-file-counts", Types.POJO(FileCount.class));

    private static final Logger LOG = LoggerFactory.getLogger(ImpressionsClicksJob.class);
    private static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);
    /** Files queued at each source reader while a backlog waits (see {@link EventFilesSource}). */
    static final int PREFETCH_DEPTH = 32;
    /** Files a source reader asks for at once, once it has finished as many. */
    static final int REQUEST_BATCH = 16;

    private ImpressionsClicksJob() {}

    /** Cluster entry point: options from {@code $FLINK_CONF_DIR/config.yaml} and the command line. */
    public static void main(String[] args) throws Exception {
        CommandLine cli;
        JobConfig config;
        try {
            String confDir = CommandLine.confDir(args, System.getenv("FLINK_CONF_DIR"));
            Configuration file = confDir == null ? new Configuration() : GlobalConfiguration.loadConfiguration(confDir);
            cli = CommandLine.parse(args, file);
            if (cli.help()) {
                System.out.println(CommandLine.usage("flink run impressions-clicks-job.jar [options]"));
                return;
            }
            config = JobConfig.from(cli.configuration(), System.getenv());
        } catch (ConfigException e) {
            System.err.println("impressions-clicks: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (config.database == null && !config.noDb) {
            System.err.println("impressions-clicks: on a cluster set --jdbc-url, or --no-db to write CSV only");
            System.exit(2);
        }
        execute(StreamExecutionEnvironment.getExecutionEnvironment(), config, config.noDb ? null : config.database);
    }

    /** Wires the production source and sinks and runs the job; blocks until a bounded job ends. */
    public static JobExecutionResult execute(
            StreamExecutionEnvironment env, JobConfig config, @Nullable DatabaseSettings db) throws Exception {
        build(env, config, db);
        return env.execute(JOB_NAME);
    }

    /**
     * Wires the production source and sinks into {@code env} (without running it): checkpointing on
     * for streaming, the table created if missing.
     *
     * @param db where to upsert the hourly totals, or null for CSV only
     */
    public static void build(StreamExecutionEnvironment env, JobConfig config, @Nullable DatabaseSettings db) {
        LOG.info("Starting {}: {}, PostgreSQL: {}", JOB_NAME, config, db == null ? "none (CSV only)" : db);
        if (!config.bounded && !env.getCheckpointConfig().isCheckpointingEnabled()) {
            LOG.info(
                    "Checkpointing is not configured; enabling it every {} (the CSV sink commits on checkpoints)",
                    DEFAULT_CHECKPOINT_INTERVAL);
            env.enableCheckpointing(DEFAULT_CHECKPOINT_INTERVAL.toMillis());
        }
        if (db != null) {
            createTable(db);
        }
        defineWorkflow(
                env,
                config,
                fileSource(config),
                DailyCsvSink.create(config.output),
                db == null ? null : PostgresSink.hourlyTotals(db),
                db == null ? null : PostgresSink.loadAudit(db),
                new ProcessedFilesSink(config.processed, config.input, config.archiveDir));
    }

    /**
     * The watching (or, with {@code bounded}, one-shot) source of per-file counts: readers kept
     * {@value #PREFETCH_DEPTH} files ahead, asking for {@value #REQUEST_BATCH} at a time, and,
     * watching, a memory of processed files bounded by the folder (see {@link EventFilesSource}).
     */
    public static EventFilesSource fileSource(JobConfig config) {
        EventFileReader reader =
                new EventFileReader(new UserAgentMatcher(config.userAgent), config.timeSource, config.timeZone);
        return new EventFilesSource(
                new EventFileFormat(reader),
                config.dates,
                OldestFirstSplitAssigner.provider(),
                new Path[] {new Path(config.input)},
                config.bounded ? null : config.monitorInterval,
                PREFETCH_DEPTH,
                REQUEST_BATCH);
    }

    /**
     * The topology, with the source and sinks passed in so that tests run the very same graph.
     *
     * @param dbSink the PostgreSQL sink of hourly totals, or null for CSV only
     * @param auditSink the PostgreSQL sink of the load audit, or null for none
     * @param processedSink receives the names of input files whose results are safe
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            JobConfig config,
            Source<FileCount, ?, ?> source,
            Sink<DailyReport> csvSink,
            @Nullable Sink<HourlyCount> dbSink,
            @Nullable Sink<FileAudit> auditSink,
            Sink<String> processedSink) {
        // No operator changes or keeps a record it was given, so chained operators can share one
        // instead of each getting a copy: the source's counts go to three of them.
        env.getConfig().enableObjectReuse();
        // Watermarks come from an operator after the source, not from the source itself: the
        // FileSource generates them per split, and a file is a split that lives for a few
        // milliseconds, so its periodic watermark would be dropped with the split.
        DataStream<FileCount> fileCounts = env.fromSource(source, WatermarkStrategy.noWatermarks(), "Event files")
                .uid(SOURCE_UID)
                .assignTimestampsAndWatermarks(
                        EventTime.watermarks(config.bounded, config.outOfOrderness, config.idleTimeout))
                .name("Event time")
                .uid(EVENT_TIME_UID);

        SingleOutputStreamOperator<HourlyCount> hourly = hourlyTotals(
                fileCounts
                        .filter(new FileMetricsFilter(config.timeZone))
                        .name("Count files and drop unmatched")
                        .uid(FILE_METRICS_UID),
                config.allowedLateness);

        DataStream<FileAudit> lateFiles = hourly.getSideOutput(LATE)
                .process(new LateFileReporter())
                .name("Report late files")
                .uid(LATE_FILES_UID);

        DataStream<FileCount> readFiles =
                fileCounts.filter(new ReadFiles()).name("Read files").uid(READ_FILES_UID);
        SingleOutputStreamOperator<DailyReport> reports = hourly.keyBy(DailyReportFunction::dateOf, Types.STRING)
                .connect(readFiles.keyBy(DailyReportFunction::dateOf, Types.STRING))
                .process(new DailyReportFunction(config.allowedLateness))
                .name("Daily reports")
                .uid(DAILY_REPORTS_UID);
        reports.sinkTo(csvSink).name("Daily CSV files").uid(CSV_SINK_UID);
        reports.getSideOutput(DailyReportFunction.FINISHED_FILES)
                .sinkTo(processedSink)
                .name("Processed files (" + config.processed.name().toLowerCase() + ")")
                .uid(PROCESSED_FILES_UID);

        if (dbSink != null) {
            hourly.sinkTo(dbSink).name("PostgreSQL upsert").uid(POSTGRES_SINK_UID);
        }
        DataStream<FileAudit> audit = fileCounts
                .flatMap(new FileAudits.OfFiles())
                .name("Load audit rows")
                .uid(AUDIT_ROWS_UID)
                .union(lateFiles);
        if (auditSink != null) {
            audit.sinkTo(auditSink).name("PostgreSQL load audit").uid(AUDIT_SINK_UID);
        } else {
            audit.sinkTo(new DiscardingSink<>())
                    .name("Load audit (no database)")
                    .uid(AUDIT_SINK_UID);
        }
    }

    /**
     * Event-time hour windows over the per-file counts. They fire on every file (early firing), so
     * each file updates its hour's running total at once; a file within the allowed lateness after
     * the window closed still corrects it; later ones go to the {@link #LATE} side output.
     */
    public static SingleOutputStreamOperator<HourlyCount> hourlyTotals(
            DataStream<FileCount> fileCounts, Duration allowedLateness) {
        return fileCounts
                .keyBy(count -> count.hourStart, Types.LONG)
                .window(TumblingEventTimeWindows.of(Duration.ofHours(1)))
                .allowedLateness(allowedLateness)
                .sideOutputLateData(LATE)
                .trigger(CountTrigger.of(1))
                .aggregate(new CountAggregate(), new HourWindowResult())
                .name("Hourly totals")
                .uid(HOURLY_TOTALS_UID);
    }

    /** Creates the table if missing; a server that can't be reached is a one-line error. */
    static void createTable(DatabaseSettings db) {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        if (db.password() != null) {
            props.setProperty("password", db.password());
        }
        try (Connection c = DriverManager.getConnection(db.url(), props)) {
            new HourlyTotalsTable(db.table()).createIfMissing(c);
            new LoadAuditTable(db.auditTable()).createIfMissing(c);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot use PostgreSQL at " + db.safeUrl() + ": " + e.getMessage());
        }
    }

    /** The configured database can't be reached or used; the message is one line for the user. */
    public static final class DatabaseUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DatabaseUnavailableException(String message) {
            super(message);
        }
    }
}
