package org.impressionsclicks.job;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.impressionsclicks.model.FileHour;
import org.impressionsclicks.model.HourlyCount;

/** Sums the files' counts of one hour; the hour itself is set by {@link HourWindowResult}. */
public final class CountAggregate implements AggregateFunction<FileHour, HourlyCount, HourlyCount> {

    private static final long serialVersionUID = 1L;

    @Override
    public HourlyCount createAccumulator() {
        return new HourlyCount();
    }

    @Override
    public HourlyCount add(FileHour value, HourlyCount acc) {
        acc.impressions += value.impressions();
        acc.clicks += value.clicks();
        return acc;
    }

    @Override
    public HourlyCount getResult(HourlyCount acc) {
        return new HourlyCount(acc.hourStart, acc.impressions, acc.clicks);
    }

    @Override
    public HourlyCount merge(HourlyCount a, HourlyCount b) {
        return new HourlyCount(a.hourStart, a.impressions + b.impressions, a.clicks + b.clicks);
    }
}
