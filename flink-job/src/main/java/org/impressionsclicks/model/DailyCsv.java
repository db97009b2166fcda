package org.impressionsclicks.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** The daily CSV layout: {@code date,hour,impression_count,click_count}, one row per hour, by hour. */
public final class DailyCsv {

    public static final String HEADER = "date,hour,impression_count,click_count";

    private DailyCsv() {}

    /** The whole file for one date; every row must belong to that date. */
    public static String format(Collection<HourlyCount> hours) {
        List<HourlyCount> rows = new ArrayList<>(hours);
        rows.sort(Comparator.comparingLong(h -> h.hourStart));
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (HourlyCount h : rows) {
            csv.append(DateHours.date(h.hourStart))
                    .append(',')
                    .append(String.format("%02d", DateHours.hour(h.hourStart)))
                    .append(',')
                    .append(h.impressions)
                    .append(',')
                    .append(h.clicks)
                    .append('\n');
        }
        return csv.toString();
    }
}
