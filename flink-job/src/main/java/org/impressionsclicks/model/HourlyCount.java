package org.impressionsclicks.model;

import java.util.Objects;

/** Running or final totals of one date-hour: the row of the CSV and of {@code csv_data_task}. */
public class HourlyCount {

    /** Start of the hour: wall-clock date-hour written as if it were UTC, in epoch millis. */
    public long hourStart;

    public long impressions;
    public long clicks;

    public HourlyCount() {}

    public HourlyCount(long hourStart, long impressions, long clicks) {
        this.hourStart = hourStart;
        this.impressions = impressions;
        this.clicks = clicks;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof HourlyCount)) {
            return false;
        }
        HourlyCount that = (HourlyCount) o;
        return hourStart == that.hourStart && impressions == that.impressions && clicks == that.clicks;
    }

    @Override
    public int hashCode() {
        return Objects.hash(hourStart, impressions, clicks);
    }

    @Override
    public String toString() {
        return "HourlyCount{" + DateHours.format(hourStart) + " impressions=" + impressions + " clicks=" + clicks + '}';
    }
}
