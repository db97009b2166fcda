package org.impressionsclicks;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.impressionsclicks.job.DailyReportFunction;
import org.impressionsclicks.job.FileMetricsFilter;
import org.impressionsclicks.job.LateFileReporter;
import org.impressionsclicks.model.DateHours;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the launcher tells its user while a job runs, read from the job's metrics through the REST
 * API: for a backfill ({@code --bounded}) its progress (files done of the total, events, rate, ETA)
 * as one self-updating line on a terminal or a line every few seconds otherwise; for a watching job
 * a short status line whenever files were processed or written, at most one per interval. {@link #summary}
 * is the closing line of a backfill, from the job's accumulators.
 */
final class RunReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunReporter.class);
    static final String FILES_VERTEX = "Count files and drop unmatched";
    static final String REPORTS_VERTEX = "Daily reports";
    static final String UPSERT_VERTEX = "PostgreSQL upsert";
    private static final List<String> FILE_METRICS =
            List.of("filesRead", "filesRejected", "eventsRead", "eventsMatched");
    private static final String UPSERTS = "PostgreSQL_upsert*numRecordsIn";

    private final JobID job;
    private final RestJobMetrics metrics;
    private final PrintStream out;
    private final boolean bounded;
    private final long totalFiles;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "run-reporter");
        t.setDaemon(true);
        return t;
    });
    private Snapshot last = Snapshot.ZERO;
    private boolean lineOpen;

    private RunReporter(
            JobID job, RestJobMetrics metrics, PrintStream out, boolean bounded, long totalFiles, boolean terminal) {
        this.job = job;
        this.metrics = metrics;
        this.out = out;
        this.bounded = bounded;
        this.totalFiles = totalFiles;
        this.terminal = terminal;
    }

    /**
     * Starts reporting on {@code job}.
     *
     * @param totalFiles the files a backfill will read (ignored when watching)
     * @param terminal whether {@code out} is a terminal (a backfill's progress updates one line)
     */
    static RunReporter start(
            JobID job,
            RestJobMetrics metrics,
            PrintStream out,
            boolean bounded,
            long totalFiles,
            boolean terminal,
            Duration interval) {
        RunReporter reporter = new RunReporter(job, metrics, out, bounded, totalFiles, terminal);
        long millis = interval.toMillis();
        reporter.timer.scheduleWithFixedDelay(reporter::report, millis, millis, TimeUnit.MILLISECONDS);
        return reporter;
    }

    private void report() {
        Snapshot now;
        try {
            now = read();
        } catch (Exception e) { // the REST endpoint is busy or gone: the next round tries again
            LOG.debug("Could not read the job's metrics", e);
            return;
        }
        synchronized (this) {
            if (bounded) {
                String line = progress(now, elapsed());
                if (terminal) {
                    out.print("\r" + line + "   ");
                    lineOpen = true;
                } else {
                    out.println(line);
                }
                out.flush();
            } else if (now.files() != last.files()
                    || now.upserts() != last.upserts()
                    || now.daysWritten() != last.daysWritten()) {
                out.println(status(last, now));
            }
            last = now;
        }
    }

    private Snapshot read() throws Exception {
        Map<String, Long> files = metrics.aggregate(job, FILES_VERTEX, "sum", FILE_METRICS);
        long newest = bounded
                ? FileMetricsFilter.NO_HOUR
                : metrics.max(job, FILES_VERTEX, "newestHour").orElse(FileMetricsFilter.NO_HOUR);
        long days = bounded
                ? 0
                : metrics.sum(job, REPORTS_VERTEX, "dailyReportsWritten").orElse(0);
        long upserts = bounded
                ? 0
                : metrics.aggregate(job, UPSERT_VERTEX, "sum", List.of(UPSERTS)).getOrDefault(UPSERTS, 0L);
        return new Snapshot(
                files.getOrDefault("filesRead", 0L),
                files.getOrDefault("filesRejected", 0L),
                files.getOrDefault("eventsRead", 0L),
                files.getOrDefault("eventsMatched", 0L),
                newest,
                upserts,
                days);
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** A backfill's progress line. */
    String progress(Snapshot s, Duration elapsed) {
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        double rate = s.files() / seconds;
        String eta = rate <= 0 || s.files() >= totalFiles
                ? "-"
                : seconds(Duration.ofMillis((long) ((totalFiles - s.files()) / rate * 1000)));
        return String.format(
                "Progress: %,d / %,d files (%.0f %%), %,d events read, %,d matched, %,.0f files/s, ETA %s",
                s.files(),
                totalFiles,
                totalFiles == 0 ? 100.0 : 100.0 * s.files() / totalFiles,
                s.eventsRead(),
                s.eventsMatched(),
                rate,
                eta);
    }

    /** A watching job's status line: what happened since {@code before}. */
    static String status(Snapshot before, Snapshot now) {
        return String.format(
                "Status: +%,d files (%,d rejected), +%,d events read, +%,d matched; newest hour %s; "
                        + "%,d upserts to PostgreSQL, %,d day files written so far",
                now.files() - before.files(),
                now.rejected() - before.rejected(),
                now.eventsRead() - before.eventsRead(),
                now.eventsMatched() - before.eventsMatched(),
                now.newestHour() == FileMetricsFilter.NO_HOUR ? "-" : DateHours.format(now.newestHour()),
                now.upserts(),
                now.daysWritten());
    }

    /** The closing line of a backfill, from the job's accumulators. */
    static String summary(JobExecutionResult result, Duration elapsed) {
        long read = counter(result, FileMetricsFilter.READ_ACCUMULATOR);
        long rejected = counter(result, FileMetricsFilter.REJECTED_ACCUMULATOR);
        long events = counter(result, FileMetricsFilter.EVENTS_READ_ACCUMULATOR);
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        return String.format(
                "Done in %s: %,d files read, %,d rejected, %,d late; %,d events read, %,d matched; "
                        + "%,d hours in %,d days written; %,.0f files/s, %,.0f events/s",
                seconds(elapsed),
                read,
                rejected,
                counter(result, LateFileReporter.LATE_ACCUMULATOR),
                events,
                counter(result, FileMetricsFilter.EVENTS_MATCHED_ACCUMULATOR),
                counter(result, DailyReportFunction.HOURS_ACCUMULATOR),
                counter(result, DailyReportFunction.DAYS_ACCUMULATOR),
                (read + rejected) / seconds,
                events / seconds);
    }

    private static long counter(JobExecutionResult result, String name) {
        Object value = result.getAccumulatorResult(name);
        return value instanceof Number ? ((Number) value).longValue() : 0;
    }

    static String seconds(Duration d) {
        return d.toMillis() < 60_000
                ? String.format("%.1f s", d.toMillis() / 1000.0)
                : String.format("%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }

    /** The job's counters at one moment. */
    record Snapshot(
            long read,
            long rejected,
            long eventsRead,
            long eventsMatched,
            long newestHour,
            long upserts,
            long daysWritten) {
        static final Snapshot ZERO = new Snapshot(0, 0, 0, 0, FileMetricsFilter.NO_HOUR, 0, 0);

        long files() {
            return read + rejected;
        }
    }
}
