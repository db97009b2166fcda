package org.impressionsclicks.job;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.impressionsclicks.model.CountedFile;

/**
 * The job's one watermark strategy. An event's time is the start of its date-hour (see
 * {@link org.impressionsclicks.model.DateHours}); a file's is its last hour with events (its
 * {@link org.impressionsclicks.model.FileResult#lastHour}), the newest it holds. Each of the file's
 * hours gets its own when the file is split ({@link FileMetricsFilter}).
 *
 * <p>Streaming: bounded out-of-orderness, and idleness so that a source subtask without files does
 * not hold back the watermark. Bounded (backfill): no watermarks at all; the whole input is known,
 * nothing is late, and every window and day closes at end of input.
 */
public final class EventTime {

    private EventTime() {}

    public static WatermarkStrategy<CountedFile> watermarks(
            boolean bounded, Duration outOfOrderness, Duration idleness) {
        WatermarkStrategy<CountedFile> base = bounded
                ? WatermarkStrategy.noWatermarks()
                : WatermarkStrategy.<CountedFile>forBoundedOutOfOrderness(outOfOrderness)
                        .withIdleness(idleness);
        return base.withTimestampAssigner((file, previous) -> file.result.lastHour);
    }
}
