package org.impressionsclicks.job;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.impressionsclicks.model.FileCount;

/**
 * The job's one watermark strategy. An event's time is the start of its date-hour (see
 * {@link org.impressionsclicks.model.DateHours}).
 *
 * <p>Streaming: bounded out-of-orderness, and idleness so that a source subtask without files does
 * not hold back the watermark. Bounded (backfill): no watermarks at all; the whole input is known,
 * nothing is late, and every window and day closes at end of input.
 */
public final class EventTime {

    private EventTime() {}

    public static WatermarkStrategy<FileCount> watermarks(boolean bounded, Duration outOfOrderness, Duration idleness) {
        WatermarkStrategy<FileCount> base = bounded
                ? WatermarkStrategy.noWatermarks()
                : WatermarkStrategy.<FileCount>forBoundedOutOfOrderness(outOfOrderness)
                        .withIdleness(idleness);
        return base.withTimestampAssigner((count, previous) -> count.hourStart);
    }
}
