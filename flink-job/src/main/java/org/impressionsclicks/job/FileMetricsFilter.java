package org.impressionsclicks.job;

import java.time.LocalDateTime;
import java.time.ZoneId;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.impressionsclicks.model.CountedFile;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.FileHour;
import org.impressionsclicks.model.FileResult;

/**
 * Splits each file the source read, once: its hours go on to the hourly windows, each with its own
 * hour as event time, and its {@link FileResult} to the {@link #FILES} side output (read files for
 * the daily reports, every file for the load audit). A file without a matching event, or a rejected
 * one, has no hours, so it is dropped here and an hour shows up only when it has at least one event.
 *
 * <p>On the way it counts what the source read (metrics {@code filesRead}, {@code filesRejected},
 * {@code eventsRead}, {@code eventsMatched}; gauges {@code fileTimeLagSeconds}, how far the newest
 * file-name time read so far is behind the wall clock of the configured zone, and {@code newestHour},
 * that hour itself; the same counts as accumulators for a bounded run's summary and exit code).
 *
 * <p>An operator, not a {@code ProcessFunction}: a function's outputs all carry its input's
 * timestamp (the file's last hour), while an hour's window, and whether it came too late for it,
 * go by the hour's own.
 */
public final class FileMetricsFilter extends AbstractStreamOperator<FileHour>
        implements OneInputStreamOperator<CountedFile, FileHour> {

    private static final long serialVersionUID = 1L;

    /** The result of every file, read or rejected, with the file's event time. */
    public static final OutputTag<FileResult> FILES = new OutputTag<>("file-results", Types.POJO(FileResult.class));

    public static final String REJECTED_ACCUMULATOR = "filesRejected";
    public static final String READ_ACCUMULATOR = "filesRead";
    public static final String EVENTS_READ_ACCUMULATOR = "eventsRead";
    public static final String EVENTS_MATCHED_ACCUMULATOR = "eventsMatched";
    /** Value of the {@code newestHour} gauge before the first file. */
    public static final long NO_HOUR = -1;

    private transient Counter filesRead;
    private transient Counter filesRejected;
    private transient Counter eventsRead;
    private transient Counter eventsMatched;
    private transient LongCounter readTotal;
    private transient LongCounter rejectedTotal;
    private transient LongCounter eventsReadTotal;
    private transient LongCounter eventsMatchedTotal;
    /** Set in {@link #open}: a transient field's initializer does not run after deserialization. */
    private transient long newestFileHour;
    /** The records emitted, one of each reused (object reuse: no operator after this one keeps them). */
    private transient StreamRecord<FileResult> fileRecord;

    private transient StreamRecord<FileHour> hourRecord;

    private final ZoneId zone;

    public FileMetricsFilter(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public void open() throws Exception {
        super.open();
        newestFileHour = Long.MIN_VALUE;
        fileRecord = new StreamRecord<>(null);
        hourRecord = new StreamRecord<>(null);
        MetricGroup metrics = getMetricGroup();
        filesRead = metrics.counter("filesRead");
        filesRejected = metrics.counter("filesRejected");
        eventsRead = metrics.counter("eventsRead");
        eventsMatched = metrics.counter("eventsMatched");
        readTotal = getRuntimeContext().getLongCounter(READ_ACCUMULATOR);
        rejectedTotal = getRuntimeContext().getLongCounter(REJECTED_ACCUMULATOR);
        eventsReadTotal = getRuntimeContext().getLongCounter(EVENTS_READ_ACCUMULATOR);
        eventsMatchedTotal = getRuntimeContext().getLongCounter(EVENTS_MATCHED_ACCUMULATOR);
        metrics.gauge("fileTimeLagSeconds", (Gauge<Long>) this::fileTimeLagSeconds);
        metrics.gauge("newestHour", (Gauge<Long>) this::newestHour);
    }

    @Override
    public void processElement(StreamRecord<CountedFile> element) {
        CountedFile counted = element.getValue();
        FileResult file = counted.result;
        if (file.wasRead()) {
            newestFileHour = Math.max(newestFileHour, file.lastHour);
            filesRead.inc();
            readTotal.add(1);
            eventsRead.inc(file.rowsRead);
            eventsReadTotal.add(file.rowsRead);
            eventsMatched.inc(file.rowsMatched);
            eventsMatchedTotal.add(file.rowsMatched);
        } else {
            filesRejected.inc();
            rejectedTotal.add(1);
        }
        output.collect(FILES, fileRecord.replace(file, element.getTimestamp()));
        for (FileHour hour : counted.hours) {
            output.collect(hourRecord.replace(hour, hour.hourStart));
        }
    }

    /** Seconds from the end of the newest hour read to now (local wall clock); -1 before the first file. */
    long fileTimeLagSeconds() {
        if (newestFileHour == Long.MIN_VALUE) {
            return -1;
        }
        long now = DateHours.toMillis(LocalDateTime.now(zone));
        return Math.max(0, (now - newestFileHour - DateHours.HOUR_MILLIS) / 1000);
    }

    /** The newest hour read (see {@link DateHours}), {@value #NO_HOUR} before the first file. */
    long newestHour() {
        return newestFileHour == Long.MIN_VALUE ? NO_HOUR : newestFileHour;
    }
}
