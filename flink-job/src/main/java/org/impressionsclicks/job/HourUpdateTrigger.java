package org.impressionsclicks.job;

import java.time.Duration;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * When an hour's window emits its running total (it fires, never purges, so every firing carries
 * all the files before it):
 *
 * <ul>
 *   <li>at once for a file that comes after a quiet {@code interval} (at a trickle, every file);
 *   <li>while files of the hour keep coming faster (a backlog, a burst), at most once per {@code
 *       interval}, {@code interval} after the last firing, with every file since;
 *   <li>when the watermark passes the end of the hour, or the end of its lateness, if files came
 *       since the last firing (so a bounded run's end of input, which drops pending processing-time
 *       timers, still emits them; the window operator's cleanup timer comes here too).
 * </ul>
 *
 * A file within the allowed lateness after the hour closed fires as at first. An interval of zero
 * fires on every file. The database keeps only an hour's last total, so a burst of 300 files of one
 * hour costs a few upserts and daily-report updates instead of 300.
 */
public final class HourUpdateTrigger extends Trigger<Object, TimeWindow> {

    private static final long serialVersionUID = 1L;

    /** The processing time at which an update of the window is due; absent when none is. */
    private static final ValueStateDescriptor<Long> DUE = new ValueStateDescriptor<>("update-due", Types.LONG);

    /** The processing time of the window's last firing. */
    private static final ValueStateDescriptor<Long> LAST = new ValueStateDescriptor<>("last-update", Types.LONG);

    private final long intervalMillis;

    public HourUpdateTrigger(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("negative update interval " + interval);
        }
        this.intervalMillis = interval.toMillis();
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx)
            throws Exception {
        if (window.maxTimestamp() > ctx.getCurrentWatermark()) {
            ctx.registerEventTimeTimer(window.maxTimestamp());
        }
        ValueState<Long> due = ctx.getPartitionedState(DUE);
        if (due.value() != null) {
            return TriggerResult.CONTINUE; // the update that is due carries this file too
        }
        ValueState<Long> last = ctx.getPartitionedState(LAST);
        long now = ctx.getCurrentProcessingTime();
        if (last.value() == null || now - last.value() >= intervalMillis) {
            last.update(now);
            return TriggerResult.FIRE;
        }
        long at = last.value() + intervalMillis;
        due.update(at);
        ctx.registerProcessingTimeTimer(at);
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) throws Exception {
        ValueState<Long> due = ctx.getPartitionedState(DUE);
        if (due.value() == null || time < due.value()) {
            return TriggerResult.CONTINUE;
        }
        due.clear();
        ctx.getPartitionedState(LAST).update(time);
        return TriggerResult.FIRE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) throws Exception {
        ValueState<Long> due = ctx.getPartitionedState(DUE);
        if (time < window.maxTimestamp() || due.value() == null) {
            return TriggerResult.CONTINUE; // every file has been in a firing already
        }
        ctx.deleteProcessingTimeTimer(due.value());
        due.clear();
        ctx.getPartitionedState(LAST).update(ctx.getCurrentProcessingTime());
        return TriggerResult.FIRE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) throws Exception {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
        ValueState<Long> due = ctx.getPartitionedState(DUE);
        if (due.value() != null) {
            ctx.deleteProcessingTimeTimer(due.value());
        }
        due.clear();
        ctx.getPartitionedState(LAST).clear();
    }

    @Override
    public String toString() {
        return "HourUpdateTrigger(" + intervalMillis + " ms)";
    }
}
