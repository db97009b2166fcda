package org.impressionsclicks.model;

import java.util.Objects;

/** The complete CSV of one event date, as the daily file sink writes it. */
public class DailyReport {

    /** The event date, {@code YYYY-MM-DD}; also the output bucket. */
    public String date;
    /** The whole file content: header plus one row per hour, sorted by hour. */
    public String csv;

    public DailyReport() {}

    public DailyReport(String date, String csv) {
        this.date = date;
        this.csv = csv;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DailyReport)) {
            return false;
        }
        DailyReport that = (DailyReport) o;
        return Objects.equals(date, that.date) && Objects.equals(csv, that.csv);
    }

    @Override
    public int hashCode() {
        return Objects.hash(date, csv);
    }

    @Override
    public String toString() {
        return "DailyReport{" + date + "}";
    }
}
