package org.impressionsclicks;

import java.time.Duration;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
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
import org.impressionsclicks.job.HourUpdateTrigger;
import org.impressionsclicks.job.HourWindowResult;
import org.impressionsclicks.job.LateFileReporter;
import org.impressionsclicks.job.ReadFiles;
import org.impressionsclicks.model.CountedFile;
import org.impressionsclicks.model.DailyReport;
import org.impressionsclicks.model.FileAudit;
import org.impressionsclicks.model.FileHour;
import org.impressionsclicks.model.FileResult;
import org.impressionsclicks.model.HourlyCount;
import org.impressionsclicks.sink.DatabaseUnavailableException;
import org.impressionsclicks.sink.JobSinks;
import org.impressionsclicks.sink.PostgresTables;
import org.impressionsclicks.source.EventFilesSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job: watch a folder of Parquet event files, count one user agent's impressions and clicks per
 * date-hour in event-time windows, write a CSV per event date and upsert every hour's running total
 * into PostgreSQL.
 *
 * <p>{@link #main} is the entry point on a Flink cluster ({@code flink run}); the local launcher
 * ({@code ImpressionsClicks}, module launcher) builds an embedded cluster and calls {@link #execute}
 * the same way.
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
    public static final OutputTag<FileHour> LATE = new OutputTag<>("late-file-counts", Types.POJO(FileHour.class));

    private static final Logger LOG = LoggerFactory.getLogger(ImpressionsClicksJob.class);
    private static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

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
        execute(StreamExecutionEnvironment.getExecutionEnvironment(), config);
    }

    /**
     * Wires the production source and sinks and runs the job; blocks until a bounded job ends. The
     * hourly totals go to {@code config.database}, or nowhere (CSV only) if it is null.
     */
    public static JobExecutionResult execute(StreamExecutionEnvironment env, JobConfig config) throws Exception {
        build(env, config);
        return env.execute(JOB_NAME);
    }

    /**
     * Prepares {@code env} and wires the production source and sinks into it (without running it):
     * checkpointing on for streaming, the tables of {@code config.database} created if missing.
     *
     * @throws DatabaseUnavailableException if {@code config.database} can't be reached or used
     */
    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        DatabaseSettings db = config.database;
        LOG.info("Starting {}: {}, PostgreSQL: {}", JOB_NAME, config, db == null ? "none (CSV only)" : db);
        checkpointByDefault(env, config);
        if (db != null) {
            PostgresTables.createIfMissing(db);
        }
        defineWorkflow(env, config, fileSource(config), JobSinks.of(config));
    }

    /** Streaming, checkpoints every {@link #DEFAULT_CHECKPOINT_INTERVAL} unless configured otherwise. */
    private static void checkpointByDefault(StreamExecutionEnvironment env, JobConfig config) {
        if (!config.bounded && !env.getCheckpointConfig().isCheckpointingEnabled()) {
            LOG.info(
                    "Checkpointing is not configured; enabling it every {} (the CSV sink commits on checkpoints)",
                    DEFAULT_CHECKPOINT_INTERVAL);
            env.enableCheckpointing(DEFAULT_CHECKPOINT_INTERVAL.toMillis());
        }
    }

    /**
     * The watching (or, with {@code bounded}, one-shot) source of per-file counts of {@code config}
     * (see {@link EventFilesSource#ofFolder}).
     */
    public static EventFilesSource fileSource(JobConfig config) {
        return EventFilesSource.ofFolder(
                config.input,
                config.dates,
                config.userAgent,
                config.timeSource,
                config.timeZone,
                config.bounded ? null : config.monitorInterval);
    }

    /**
     * The topology, with the source and sinks passed in so that tests wire the very same graph; it
     * only connects operators (no I/O, no environment settings but object reuse).
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env, JobConfig config, Source<CountedFile, ?, ?> source, JobSinks sinks) {
        // No operator changes or keeps a record it was given, so chained operators can share one
        // instead of each getting a copy: the files' results go to two of them.
        env.getConfig().enableObjectReuse();
        // Watermarks come from an operator after the source, not from the source itself: the
        // FileSource generates them per split, and a file is a split that lives for a few
        // milliseconds, so its periodic watermark would be dropped with the split.
        DataStream<CountedFile> files = env.fromSource(source, WatermarkStrategy.noWatermarks(), "Event files")
                .uid(SOURCE_UID)
                .assignTimestampsAndWatermarks(
                        EventTime.watermarks(config.bounded, config.outOfOrderness, config.idleTimeout))
                .name("Event time")
                .uid(EVENT_TIME_UID);

        // The one split of a file: its hours on, its result to a side output.
        SingleOutputStreamOperator<FileHour> fileHours = files.transform(
                        "Count files and drop unmatched",
                        Types.POJO(FileHour.class),
                        new FileMetricsFilter(config.timeZone))
                .uid(FILE_METRICS_UID);
        DataStream<FileResult> results = fileHours.getSideOutput(FileMetricsFilter.FILES);
        SingleOutputStreamOperator<HourlyCount> hourly =
                hourlyTotals(fileHours, config.allowedLateness, config.updateInterval);

        DataStream<FileAudit> lateFiles = hourly.getSideOutput(LATE)
                .process(new LateFileReporter())
                .name("Report late files")
                .uid(LATE_FILES_UID);

        DataStream<FileResult> readFiles =
                results.filter(new ReadFiles()).name("Read files").uid(READ_FILES_UID);
        SingleOutputStreamOperator<DailyReport> reports = hourly.keyBy(DailyReportFunction::dateOf, Types.STRING)
                .connect(readFiles.keyBy(DailyReportFunction::dateOf, Types.STRING))
                .process(new DailyReportFunction(config.allowedLateness))
                .name("Daily reports")
                .uid(DAILY_REPORTS_UID);
        reports.sinkTo(sinks.csv()).name("Daily CSV files").uid(CSV_SINK_UID);
        reports.getSideOutput(DailyReportFunction.FINISHED_FILES)
                .sinkTo(sinks.processed())
                .name("Processed files (" + config.processed.name().toLowerCase() + ")")
                .uid(PROCESSED_FILES_UID);

        if (sinks.hourlyTotals() != null) {
            hourly.sinkTo(sinks.hourlyTotals()).name("PostgreSQL upsert").uid(POSTGRES_SINK_UID);
        }
        DataStream<FileAudit> audit = results.map(new FileAudits.OfFiles())
                .name("Load audit rows")
                .uid(AUDIT_ROWS_UID)
                .union(lateFiles);
        if (sinks.loadAudit() != null) {
            audit.sinkTo(sinks.loadAudit()).name("PostgreSQL load audit").uid(AUDIT_SINK_UID);
        } else {
            audit.sinkTo(new DiscardingSink<>())
                    .name("Load audit (no database)")
                    .uid(AUDIT_SINK_UID);
        }
    }

    /**
     * Event-time hour windows over the files' hours. They fire early ({@link HourUpdateTrigger}): a
     * file after a quiet spell updates its hour's running total at once, a burst of an hour's files at
     * most once per {@code updateInterval}, and the end of the hour emits what is left. A file within
     * the allowed lateness after the window closed still corrects it; later ones go to the {@link
     * #LATE} side output.
     */
    public static SingleOutputStreamOperator<HourlyCount> hourlyTotals(
            DataStream<FileHour> fileHours, Duration allowedLateness, Duration updateInterval) {
        return fileHours
                .keyBy(hour -> hour.hourStart, Types.LONG)
                .window(TumblingEventTimeWindows.of(Duration.ofHours(1)))
                .allowedLateness(allowedLateness)
                .sideOutputLateData(LATE)
                .trigger(new HourUpdateTrigger(updateInterval))
                .aggregate(new CountAggregate(), new HourWindowResult())
                .name("Hourly totals")
                .uid(HOURLY_TOTALS_UID);
    }
}
