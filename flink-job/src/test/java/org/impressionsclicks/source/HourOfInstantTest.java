package org.impressionsclicks.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.impressionsclicks.model.DateHours;
import org.junit.jupiter.api.Test;

class HourOfInstantTest {

    private static final ZoneId CPH = ZoneId.of("Europe/Copenhagen");

    private static long expected(long epochMillis) {
        return DateHours.hourStart(LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), CPH));
    }

    @Test
    void sampleRowTimesFallInTheFileNameHour() {
        HourOfInstant hours = new HourOfInstant(CPH);
        // creation_time of a row of clicks_processed_dk_20220527113145108_...: 2022-05-27T11:31:45.019 in Copenhagen
        assertThat(DateHours.format(hours.hourStart(1653643905019L))).isEqualTo("2022-05-27T11");
        assertThat(DateHours.format(hours.hourStart(1653645703632L))).isEqualTo("2022-05-27T12");
    }

    @Test
    void agreesWithJavaTimeAroundHourBoundariesAndDaylightSavingChanges() {
        HourOfInstant hours = new HourOfInstant(CPH);
        long[] starts = {
            Instant.parse("2022-03-27T00:00:00Z").toEpochMilli(), // spring forward at 01:00 UTC
            Instant.parse("2022-10-30T00:00:00Z").toEpochMilli(), // fall back at 01:00 UTC
            Instant.parse("2022-05-26T21:30:00Z").toEpochMilli(), // local midnight
        };
        for (long start : starts) {
            for (long t = start; t < start + 3 * DateHours.HOUR_MILLIS; t += 59_999) {
                assertThat(hours.hourStart(t))
                        .as("instant %s", Instant.ofEpochMilli(t))
                        .isEqualTo(expected(t));
            }
            for (long t = start + 3 * DateHours.HOUR_MILLIS; t > start; t -= 61_001) { // backwards too
                assertThat(hours.hourStart(t))
                        .as("instant %s", Instant.ofEpochMilli(t))
                        .isEqualTo(expected(t));
            }
        }
    }

    @Test
    void utcZoneIsIdentityTruncation() {
        HourOfInstant hours = new HourOfInstant(ZoneId.of("UTC"));
        long t = Instant.parse("2022-05-27T11:31:45.019Z").toEpochMilli();
        assertThat(hours.hourStart(t))
                .isEqualTo(Instant.parse("2022-05-27T11:00:00Z").toEpochMilli());
    }
}
