package org.impressionsclicks.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import org.impressionsclicks.sink.DailyCsvEncoder;
import org.junit.jupiter.api.Test;

class DailyCsvTest {

    private static long hour(String t) {
        return DateHours.hourStart(LocalDateTime.parse(t));
    }

    @Test
    void formatsTheReferenceDaySortedByHourWithTwoDigitHours() {
        String csv = DailyCsv.format(List.of(
                new HourlyCount(hour("2022-05-27T12:00"), 10, 20), new HourlyCount(hour("2022-05-27T11:00"), 0, 10)));
        assertThat(csv)
                .isEqualTo(
                        "date,hour,impression_count,click_count\n" + "2022-05-27,11,0,10\n" + "2022-05-27,12,10,20\n");
    }

    @Test
    void padsEarlyHoursAndKeepsMidnightAndLastHour() {
        String csv = DailyCsv.format(List.of(
                new HourlyCount(hour("2022-05-26T23:00"), 1, 0),
                new HourlyCount(hour("2022-05-26T09:00"), 2, 3),
                new HourlyCount(hour("2022-05-26T00:00"), 0, 1)));
        assertThat(csv.lines())
                .containsExactly(
                        "date,hour,impression_count,click_count",
                        "2022-05-26,00,0,1",
                        "2022-05-26,09,2,3",
                        "2022-05-26,23,1,0");
    }

    @Test
    void anEmptyDayIsJustTheHeader() {
        assertThat(DailyCsv.format(List.of())).isEqualTo(DailyCsv.HEADER + "\n");
    }

    @Test
    void encoderWritesTheReportVerbatimAsUtf8() throws Exception {
        String csv = DailyCsv.format(List.of(new HourlyCount(hour("2022-05-26T11:00"), 4, 0)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DailyCsvEncoder().encode(new DailyReport("2022-05-26", csv), out);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("date,hour,impression_count,click_count\n2022-05-26,11,4,0\n");
    }
}
