package org.impressionsclicks.model;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The one place that says how an event's wall-clock date-hour becomes a Flink timestamp.
 *
 * <p>Reports are keyed by the local date and hour (as written in the file names), so event time is
 * the local wall-clock time written as if it were UTC: hours and days then line up with Flink's
 * epoch-aligned tumbling windows, and a day ends at local midnight.
 */
public final class DateHours {

    public static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();
    public static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    private DateHours() {}

    /** Event-time millis of a wall-clock time. */
    public static long toMillis(LocalDateTime wallClock) {
        return wallClock.toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** Start of the hour that contains {@code wallClock}, as event-time millis. */
    public static long hourStart(LocalDateTime wallClock) {
        return toMillis(wallClock.truncatedTo(ChronoUnit.HOURS));
    }

    public static LocalDateTime toDateTime(long millis) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), 0, ZoneOffset.UTC);
    }

    public static LocalDate date(long millis) {
        return toDateTime(millis).toLocalDate();
    }

    public static int hour(long millis) {
        return toDateTime(millis).getHour();
    }

    /** Last millisecond of the event date that contains {@code millis}. */
    public static long endOfDay(long millis) {
        return Math.floorDiv(millis, DAY_MILLIS) * DAY_MILLIS + DAY_MILLIS - 1;
    }

    /** {@code YYYY-MM-DDTHH}, for logs. */
    public static String format(long millis) {
        LocalDateTime t = toDateTime(millis);
        return String.format("%sT%02d", t.toLocalDate(), t.getHour());
    }
}
