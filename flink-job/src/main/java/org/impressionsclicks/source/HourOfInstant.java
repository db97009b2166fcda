package org.impressionsclicks.source;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.impressionsclicks.model.DateHours;

/**
 * Maps epoch-millisecond instants to the start of their local wall-clock hour in one zone,
 * remembering the last hour so that runs of events in one hour cost a range check each.
 */
final class HourOfInstant {

    private final ZoneId zone;
    private long rangeStart = 1;
    private long rangeEnd = 0;
    private long hourStart;

    HourOfInstant(ZoneId zone) {
        this.zone = zone;
    }

    long hourStart(long epochMillis) {
        if (epochMillis < rangeStart || epochMillis >= rangeEnd) {
            LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone);
            hourStart = DateHours.hourStart(local);
            // The instants that share this local hour under this instant's UTC offset. Around a
            // DST change an instant with the other offset simply misses the cache.
            long offsetMillis = DateHours.toMillis(local) - epochMillis;
            rangeStart = hourStart - offsetMillis;
            rangeEnd = rangeStart + DateHours.HOUR_MILLIS;
        }
        return hourStart;
    }
}
