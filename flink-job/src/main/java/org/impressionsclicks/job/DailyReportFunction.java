package org.impressionsclicks.job;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.impressionsclicks.model.DailyCsv;
import org.impressionsclicks.model.DailyReport;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.FileResult;
import org.impressionsclicks.model.HourlyCount;

/**
 * Collects the latest total of every hour of one event date (the key) and emits the day's complete
 * CSV once the day is final: when the watermark passes the end of the day (streaming) or at end of
 * input (bounded).
 *
 * <p>Corrections: an hour that changes after its day was emitted (a late file within the allowed
 * lateness) makes the function emit the whole day again, {@link #CORRECTION_DELAY} later (so a burst
 * of late files makes one correction). Each emission is a complete file, so the newest file of a
 * day is always the current one and never holds two rows for one hour. The day's state is dropped
 * when no correction can come any more (end of day plus the allowed lateness).
 *
 * <p>Finished files: the second input names the files of the day (the result of each file that was
 * read, keyed by the date of its last hour). With every emission the files collected so far go to the
 * {@link #FINISHED_FILES} side output, so the processed-files sink can archive them once the
 * checkpoint after the day's CSV completes. A file that only arrives after its day was written is
 * in the correction; one without matching events waits for the correction delay.
 */
public final class DailyReportFunction extends KeyedCoProcessFunction<String, HourlyCount, FileResult, DailyReport> {

    private static final long serialVersionUID = 1L;

    /** How long a correction of an already written day waits for further late files. */
    public static final Duration CORRECTION_DELAY = Duration.ofSeconds(1);

    private final long allowedLatenessMillis;

    /** Names of input files whose day has been written (with their CSV in the same checkpoint). */
    public static final OutputTag<String> FINISHED_FILES = new OutputTag<>("finished-files", Types.STRING);

    private transient MapState<Long, HourlyCount> hours;
    private transient ListState<String> files;
    private transient ValueState<Boolean> pending;
    private transient Counter reportsWritten;
    private transient LongCounter daysWritten;
    private transient LongCounter hoursWritten;

    /** Accumulators of a run's summary: day files written (first versions and corrections), and their rows. */
    public static final String DAYS_ACCUMULATOR = "daysWritten";

    public static final String HOURS_ACCUMULATOR = "hoursWritten";

    public DailyReportFunction(Duration allowedLateness) {
        this.allowedLatenessMillis = allowedLateness.toMillis();
    }

    /** The key of an hour: its event date. */
    public static String dateOf(HourlyCount hour) {
        return DateHours.date(hour.hourStart).toString();
    }

    /** The key of a file: the date of its last hour with events (of its name's hour when it has none). */
    public static String dateOf(FileResult file) {
        return DateHours.date(file.lastHour).toString();
    }

    @Override
    public void open(OpenContext openContext) {
        hours = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("hours", Types.LONG, Types.POJO(HourlyCount.class)));
        pending = getRuntimeContext().getState(new ValueStateDescriptor<>("pending", Types.BOOLEAN));
        files = getRuntimeContext().getListState(new ListStateDescriptor<>("files", Types.STRING));
        reportsWritten = getRuntimeContext().getMetricGroup().counter("dailyReportsWritten");
        daysWritten = getRuntimeContext().getLongCounter(DAYS_ACCUMULATOR);
        hoursWritten = getRuntimeContext().getLongCounter(HOURS_ACCUMULATOR);
    }

    @Override
    public void processElement1(HourlyCount hour, Context ctx, Collector<DailyReport> out) throws Exception {
        hours.put(hour.hourStart, hour);
        pending.update(true);
        scheduleEmission(DateHours.endOfDay(hour.hourStart), ctx);
    }

    @Override
    public void processElement2(FileResult file, Context ctx, Collector<DailyReport> out) throws Exception {
        files.add(file.file);
        scheduleEmission(DateHours.endOfDay(file.lastHour), ctx);
    }

    private void scheduleEmission(long endOfDay, Context ctx) {
        if (ctx.timerService().currentWatermark() < endOfDay) {
            ctx.timerService().registerEventTimeTimer(endOfDay);
        } else { // the day was written already: correct it
            ctx.timerService()
                    .registerProcessingTimeTimer(
                            ctx.timerService().currentProcessingTime() + CORRECTION_DELAY.toMillis());
        }
        ctx.timerService().registerEventTimeTimer(cleanupTime(endOfDay));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DailyReport> out) throws Exception {
        if (Boolean.TRUE.equals(pending.value())) {
            List<HourlyCount> rows = new ArrayList<>();
            for (HourlyCount h : hours.values()) {
                rows.add(h);
            }
            out.collect(new DailyReport(ctx.getCurrentKey(), DailyCsv.format(rows)));
            reportsWritten.inc();
            daysWritten.add(1);
            hoursWritten.add(rows.size());
            pending.clear();
        }
        for (String file : files.get()) {
            ctx.output(FINISHED_FILES, file);
        }
        files.clear();
        long endOfDay = DateHours.toMillis(
                        LocalDate.parse(ctx.getCurrentKey()).plusDays(1).atStartOfDay())
                - 1;
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME && timestamp >= cleanupTime(endOfDay)) {
            hours.clear();
        }
    }

    private long cleanupTime(long endOfDay) {
        return endOfDay + allowedLatenessMillis + 1;
    }
}
