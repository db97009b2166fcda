package org.impressionsclicks.job;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.FileCount;

/**
 * Counts what the source read (metrics {@code filesRead}, {@code filesRejected}, {@code eventsRead},
 * {@code eventsMatched}; gauge {@code fileTimeLagSeconds}: how far the newest file-name time read so
 * far is behind the wall clock of the configured zone; the accumulator {@value #REJECTED_ACCUMULATOR}
 * for a bounded run's exit code) and drops the all-zero records of files without a matching event or
 * rejected files, so that an hour shows up only when it has at least one event.
 */
public final class FileMetricsFilter extends RichFilterFunction<FileCount> {

    private static final long serialVersionUID = 1L;
    public static final String REJECTED_ACCUMULATOR = "filesRejected";

    private transient Counter filesRead;
    private transient Counter filesRejected;
    private transient Counter eventsRead;
    private transient Counter eventsMatched;
    private transient LongCounter rejectedTotal;
    private transient long newestFileHour = Long.MIN_VALUE;
    private final ZoneId zone;

    public FileMetricsFilter(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        filesRead = metrics.counter("filesRead");
        filesRejected = metrics.counter("filesRejected");
        eventsRead = metrics.counter("eventsRead");
        eventsMatched = metrics.counter("eventsMatched");
        rejectedTotal = getRuntimeContext().getLongCounter(REJECTED_ACCUMULATOR);
        metrics.gauge("fileTimeLagSeconds", (Gauge<Long>) this::fileTimeLagSeconds);
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
            eventsRead.inc(count.rowsRead);
        }
        eventsMatched.inc(count.matched());
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
}
