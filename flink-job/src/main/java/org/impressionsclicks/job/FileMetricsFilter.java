package org.impressionsclicks.job;

import java.time.LocalDateTime;
import java.time.ZoneId;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.FileCount;

/**
 * Counts what the source read (metrics {@code filesRead}, {@code filesRejected}, {@code eventsRead},
 * {@code eventsMatched}; gauges {@code fileTimeLagSeconds}, how far the newest file-name time read so
 * far is behind the wall clock of the configured zone, and {@code newestHour}, that hour itself; the
 * same counts as accumulators for a bounded run's summary and exit code) and drops the all-zero
 * records of files without a matching event or rejected files, so that an hour shows up only when it
 * has at least one event.
 */
public final class FileMetricsFilter extends RichFilterFunction<FileCount> {

    private static final long serialVersionUID = 1L;
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

    private final ZoneId zone;

    public FileMetricsFilter(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public void open(OpenContext openContext) {
        newestFileHour = Long.MIN_VALUE;
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
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
    public boolean filter(FileCount count) {
        if (count.rejection != null) {
            filesRejected.inc();
            rejectedTotal.add(1);
            return false;
        }
        if (count.firstOfFile) {
            newestFileHour = Math.max(newestFileHour, count.lastHour);
            filesRead.inc();
            readTotal.add(1);
            eventsRead.inc(count.rowsRead);
            eventsReadTotal.add(count.rowsRead);
        }
        eventsMatched.inc(count.matched());
        eventsMatchedTotal.add(count.matched());
        return count.matched() > 0;
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
