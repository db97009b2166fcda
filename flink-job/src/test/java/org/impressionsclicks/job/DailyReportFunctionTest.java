package org.impressionsclicks.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.impressionsclicks.model.DailyReport;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.model.FileResult;
import org.impressionsclicks.model.HourlyCount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the daily report with watermarks, as the window operator upstream would. */
class DailyReportFunctionTest {

    private static final Duration LATENESS = Duration.ofHours(6);
    private KeyedTwoInputStreamOperatorTestHarness<String, HourlyCount, FileResult, DailyReport> harness;

    private static long t(String wallClock) {
        return DateHours.toMillis(LocalDateTime.parse(wallClock));
    }

    private static HourlyCount hour(String wallClock, long impressions, long clicks) {
        return new HourlyCount(t(wallClock), impressions, clicks);
    }

    @BeforeEach
    void setUp() throws Exception {
        KeySelector<HourlyCount, String> hourDate = DailyReportFunction::dateOf;
        KeySelector<FileResult, String> fileDate = DailyReportFunction::dateOf;
        harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new DailyReportFunction(LATENESS)), hourDate, fileDate, Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void add(HourlyCount h) throws Exception {
        harness.processElement1(h, h.hourStart + DateHours.HOUR_MILLIS - 1);
    }

    private List<DailyReport> reports() {
        return harness.extractOutputValues();
    }

    private void file(String name, String lastHour) throws Exception {
        file(name, lastHour, lastHour);
    }

    private void file(String name, String firstHour, String lastHour) throws Exception {
        long h = t(lastHour);
        harness.processElement2(FileResult.read(name, EventKind.IMPRESSION, t(firstHour), h, 2, 2), h);
    }

    private List<String> finishedFiles() {
        var side = harness.getSideOutput(DailyReportFunction.FINISHED_FILES); // null until the first one
        return side == null ? List.of() : side.stream().map(r -> r.getValue()).collect(Collectors.toList());
    }

    @Test
    void aDaysFilesAreFinishedWithItsReportAndNotBefore() throws Exception {
        add(hour("2022-05-26T11:00", 4, 0));
        file("a.parquet", "2022-05-26T11:00");
        file("b.parquet", "2022-05-26T23:00");
        file("c.parquet", "2022-05-27T00:00");
        harness.processBothWatermarks(new Watermark(t("2022-05-26T23:59:59.998")));
        assertThat(finishedFiles()).isEmpty();

        harness.processBothWatermarks(new Watermark(t("2022-05-26T23:59:59.999")));
        assertThat(reports()).hasSize(1);
        assertThat(finishedFiles()).containsExactlyInAnyOrder("a.parquet", "b.parquet");

        harness.setProcessingTime(10_000);
        file("late.parquet", "2022-05-26T20:00"); // its day is written already: finished after the correction delay
        harness.setProcessingTime(10_000 + DailyReportFunction.CORRECTION_DELAY.toMillis());
        assertThat(finishedFiles()).containsExactlyInAnyOrder("a.parquet", "b.parquet", "late.parquet");
        harness.processBothWatermarks(new Watermark(Long.MAX_VALUE));
        assertThat(finishedFiles()).containsExactlyInAnyOrder("a.parquet", "b.parquet", "late.parquet", "c.parquet");
    }

    @Test
    void aFileBelongsToTheDayOfItsLastHour() throws Exception {
        add(hour("2022-05-26T23:00", 1, 0));
        file("midnight.parquet", "2022-05-26T23:00", "2022-05-27T00:00");
        harness.processBothWatermarks(new Watermark(t("2022-05-27T00:00")));
        assertThat(reports()).hasSize(1);
        assertThat(finishedFiles())
                .as("its first hour's day is written, its last hour's is not")
                .isEmpty();

        harness.processBothWatermarks(new Watermark(t("2022-05-28T00:00")));
        assertThat(finishedFiles()).containsExactly("midnight.parquet");
    }

    @Test
    void emitsTheDayOnceTheWatermarkPassesItsEndWithTheLatestTotalPerHour() throws Exception {
        add(hour("2022-05-27T12:00", 4, 0));
        add(hour("2022-05-27T11:00", 0, 5));
        add(hour("2022-05-27T12:00", 10, 0));
        add(hour("2022-05-27T11:00", 0, 10));
        add(hour("2022-05-27T12:00", 10, 20));
        harness.processBothWatermarks(new Watermark(t("2022-05-27T23:59:59.998")));
        assertThat(reports()).isEmpty();

        harness.processBothWatermarks(new Watermark(t("2022-05-27T23:59:59.999")));
        assertThat(reports())
                .containsExactly(new DailyReport(
                        "2022-05-27",
                        "date,hour,impression_count,click_count\n2022-05-27,11,0,10\n2022-05-27,12,10,20\n"));
    }

    @Test
    void keepsDaysApart() throws Exception {
        add(hour("2022-05-26T19:00", 10, 0));
        add(hour("2022-05-27T11:00", 0, 10));
        harness.processBothWatermarks(new Watermark(Long.MAX_VALUE));
        assertThat(reports()).extracting(r -> r.date).containsExactlyInAnyOrder("2022-05-26", "2022-05-27");
        assertThat(reports()).allSatisfy(r -> assertThat(r.csv.lines().count()).isEqualTo(2));
    }

    @Test
    void lateCorrectionsReEmitTheWholeDayOnceAfterTheCorrectionDelay() throws Exception {
        harness.setProcessingTime(1_000);
        add(hour("2022-05-26T11:00", 4, 0));
        harness.processBothWatermarks(new Watermark(t("2022-05-27T01:00")));
        assertThat(reports()).hasSize(1);

        add(hour("2022-05-26T19:00", 7, 0)); // a late file, within the allowed lateness
        harness.setProcessingTime(1_500);
        add(hour("2022-05-26T19:00", 10, 0)); // and another one for the same hour
        harness.setProcessingTime(1_999);
        assertThat(reports()).hasSize(1);
        harness.setProcessingTime(2_000 + DailyReportFunction.CORRECTION_DELAY.toMillis());

        assertThat(reports()).hasSize(2);
        String newest = reports().get(1).csv;
        assertThat(newest).isEqualTo("date,hour,impression_count,click_count\n2022-05-26,11,4,0\n2022-05-26,19,10,0\n");
        List<String> hours = newest.lines().skip(1).map(l -> l.split(",")[1]).collect(Collectors.toList());
        assertThat(hours).doesNotHaveDuplicates();
    }

    @Test
    void dropsTheDayStateOnceNoCorrectionCanCome() throws Exception {
        add(hour("2022-05-26T11:00", 4, 0));
        harness.processBothWatermarks(new Watermark(t("2022-05-27T00:00") + LATENESS.toMillis()));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(reports()).hasSize(1);
    }

    @Test
    void boundedEndOfInputEmitsEveryDayExactlyOnce() throws Exception {
        add(hour("2022-05-26T11:00", 4, 0));
        add(hour("2022-05-26T19:00", 10, 0));
        add(hour("2022-05-27T11:00", 0, 10));
        add(hour("2022-05-27T12:00", 10, 20));
        harness.processBothWatermarks(new Watermark(Long.MAX_VALUE));
        assertThat(reports()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
