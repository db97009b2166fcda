package org.impressionsclicks.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class DateHoursTest {

    @Test
    void hourStartTruncatesWallClockTime() {
        long h = DateHours.hourStart(LocalDateTime.parse("2022-05-26T19:32:04.695"));
        assertThat(DateHours.toDateTime(h)).isEqualTo(LocalDateTime.parse("2022-05-26T19:00"));
        assertThat(DateHours.date(h)).isEqualTo(LocalDate.parse("2022-05-26"));
        assertThat(DateHours.hour(h)).isEqualTo(19);
        assertThat(DateHours.format(h)).isEqualTo("2022-05-26T19");
        assertThat(h % DateHours.HOUR_MILLIS).isZero();
    }

    @Test
    void endOfDayIsTheLastMillisecondBeforeLocalMidnight() {
        long h = DateHours.hourStart(LocalDateTime.parse("2022-05-26T00:10"));
        assertThat(DateHours.endOfDay(h) + 1).isEqualTo(DateHours.toMillis(LocalDateTime.parse("2022-05-27T00:00")));
        assertThat(DateHours.endOfDay(DateHours.endOfDay(h))).isEqualTo(DateHours.endOfDay(h));
    }

    @Test
    void datesBeforeTheEpochWork() {
        long h = DateHours.hourStart(LocalDateTime.parse("1969-12-31T23:59"));
        assertThat(DateHours.format(h)).isEqualTo("1969-12-31T23");
        assertThat(DateHours.date(DateHours.endOfDay(h))).isEqualTo(LocalDate.parse("1969-12-31"));
    }
}
