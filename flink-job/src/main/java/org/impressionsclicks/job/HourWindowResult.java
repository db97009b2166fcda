package org.impressionsclicks.job;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.impressionsclicks.model.HourlyCount;

/** Stamps an hour window's running total with the window's hour. */
public final class HourWindowResult extends ProcessWindowFunction<HourlyCount, HourlyCount, Long, TimeWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(Long hour, Context context, Iterable<HourlyCount> totals, Collector<HourlyCount> out) {
        for (HourlyCount total : totals) {
            out.collect(new HourlyCount(context.window().getStart(), total.impressions, total.clicks));
        }
    }
}
