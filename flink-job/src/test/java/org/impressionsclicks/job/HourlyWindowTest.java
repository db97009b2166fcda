package org.impressionsclicks.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.impressionsclicks.ImpressionsClicksJob;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.model.FileHour;
import org.impressionsclicks.model.HourlyCount;
import org.junit.jupiter.api.Test;

/**
 * The hourly window of the real topology, driven element by element with watermarks through
 * Flink's operator test harness: early firing (on every file, or throttled in a burst), late
 * corrections, and the side output.
 */
class HourlyWindowTest {

    private static long t(String wallClock) {
        return DateHours.toMillis(LocalDateTime.parse(wallClock));
    }

    private static FileHour file(String name, String hour, EventKind kind, long events) {
        return new FileHour(name, kind, t(hour), events);
    }

    private static final Duration INTERVAL = Duration.ofMillis(200);

    @Test
    void withoutAnIntervalFiresARunningTotalOnEveryFileThenCorrectsWithinLatenessAndSidesOutLaterOnes()
            throws Exception {
        try (WindowHarness h = WindowHarness.create(Duration.ofHours(2), Duration.ZERO)) {
            h.add(file("a", "2022-05-27T12:00", EventKind.IMPRESSION, 4));
            h.add(file("b", "2022-05-27T12:00", EventKind.IMPRESSION, 6));
            h.add(file("c", "2022-05-27T12:00", EventKind.CLICK, 7));
            assertThat(h.totals())
                    .containsExactly(
                            new HourlyCount(t("2022-05-27T12:00"), 4, 0),
                            new HourlyCount(t("2022-05-27T12:00"), 10, 0),
                            new HourlyCount(t("2022-05-27T12:00"), 10, 7));

            h.watermark(t("2022-05-27T14:00")); // window closed, still within lateness
            h.add(file("d", "2022-05-27T12:00", EventKind.CLICK, 13));
            assertThat(h.totals()).last().isEqualTo(new HourlyCount(t("2022-05-27T12:00"), 10, 20));

            h.watermark(t("2022-05-27T15:00")); // past end + lateness
            h.add(file("e", "2022-05-27T12:00", EventKind.IMPRESSION, 5));
            assertThat(h.totals()).hasSize(4);
            assertThat(h.late()).containsExactly(file("e", "2022-05-27T12:00", EventKind.IMPRESSION, 5));
        }
    }

    @Test
    void aBurstOfOneHoursFilesUpdatesItAtOnceThenAtMostOncePerIntervalWithEveryFileSince() throws Exception {
        try (WindowHarness h = WindowHarness.create(Duration.ofHours(2), INTERVAL)) {
            h.time(1_000);
            h.add(file("a", "2022-05-27T12:00", EventKind.IMPRESSION, 4));
            assertThat(h.totals()).containsExactly(new HourlyCount(t("2022-05-27T12:00"), 4, 0));

            h.time(1_050);
            h.add(file("b", "2022-05-27T12:00", EventKind.IMPRESSION, 6));
            h.add(file("c", "2022-05-27T12:00", EventKind.CLICK, 7));
            h.add(file("x", "2022-05-27T13:00", EventKind.CLICK, 1)); // another hour: its first file, at once
            h.time(1_199);
            assertThat(h.totals())
                    .containsExactly(
                            new HourlyCount(t("2022-05-27T12:00"), 4, 0), new HourlyCount(t("2022-05-27T13:00"), 0, 1));

            h.time(1_200); // an interval after the last firing: b and c in one update
            assertThat(h.totals()).hasSize(3).last().isEqualTo(new HourlyCount(t("2022-05-27T12:00"), 10, 7));

            h.time(1_300);
            h.add(file("d", "2022-05-27T12:00", EventKind.CLICK, 13)); // 100 ms after that update: waits
            assertThat(h.totals()).hasSize(3);
            h.time(1_400);
            assertThat(h.totals()).hasSize(4).last().isEqualTo(new HourlyCount(t("2022-05-27T12:00"), 10, 20));

            h.time(1_700); // quiet for longer than the interval: the next file updates at once
            h.add(file("e", "2022-05-27T12:00", EventKind.IMPRESSION, 5));
            assertThat(h.totals()).hasSize(5).last().isEqualTo(new HourlyCount(t("2022-05-27T12:00"), 15, 20));
        }
    }

    @Test
    void theEndOfTheHourEmitsAPendingUpdateOnceSoABoundedRunsLastFilesCount() throws Exception {
        try (WindowHarness h = WindowHarness.create(Duration.ofHours(2), INTERVAL)) {
            h.time(1_000);
            h.add(file("a", "2022-05-27T12:00", EventKind.IMPRESSION, 4));
            h.add(file("b", "2022-05-27T12:00", EventKind.IMPRESSION, 6));
            assertThat(h.totals()).hasSize(1);

            h.watermark(Long.MAX_VALUE); // a bounded run's end of input; its processing-time timers are dropped
            assertThat(h.totals()).hasSize(2).last().isEqualTo(new HourlyCount(t("2022-05-27T12:00"), 10, 0));
            h.time(1_200); // the pending update went with the end of the hour: no second one
            assertThat(h.totals()).hasSize(2);
        }
    }

    @Test
    void theEndOfTheHourEmitsNothingWhenEveryFileWasInAnUpdate() throws Exception {
        try (WindowHarness h = WindowHarness.create(Duration.ofHours(2), INTERVAL)) {
            h.time(1_000);
            h.add(file("a", "2022-05-27T12:00", EventKind.IMPRESSION, 4));
            h.watermark(t("2022-05-27T13:00"));
            assertThat(h.totals()).containsExactly(new HourlyCount(t("2022-05-27T12:00"), 4, 0));
        }
    }

    @Test
    void lateFilesWithinTheLatenessAreThrottledTooAndNeverLost() throws Exception {
        try (WindowHarness h = WindowHarness.create(Duration.ofHours(2), INTERVAL)) {
            h.time(1_000);
            h.add(file("a", "2022-05-27T12:00", EventKind.IMPRESSION, 4));
            h.watermark(t("2022-05-27T14:00")); // closed, within lateness
            h.time(1_100);
            h.add(file("b", "2022-05-27T12:00", EventKind.CLICK, 2));
            h.add(file("c", "2022-05-27T12:00", EventKind.CLICK, 3));
            assertThat(h.totals()).hasSize(1);
            h.time(1_200);
            assertThat(h.totals()).hasSize(2).last().isEqualTo(new HourlyCount(t("2022-05-27T12:00"), 4, 5));
        }
    }

    @Test
    void aLateFilesPendingUpdateIsEmittedWhenTheLatenessEndsBeforeItsTimer() throws Exception {
        try (WindowHarness h = WindowHarness.create(Duration.ofHours(2), INTERVAL)) {
            h.time(1_000);
            h.add(file("a", "2022-05-27T12:00", EventKind.IMPRESSION, 4));
            h.watermark(t("2022-05-27T14:00")); // closed, within lateness
            h.time(1_100);
            h.add(file("b", "2022-05-27T12:00", EventKind.CLICK, 2)); // pending until 1 200
            assertThat(h.totals()).hasSize(1);

            h.watermark(Long.MAX_VALUE); // a bounded run ends: the window's state goes, its update first
            assertThat(h.totals()).hasSize(2).last().isEqualTo(new HourlyCount(t("2022-05-27T12:00"), 4, 2));
            h.time(1_200);
            assertThat(h.totals()).hasSize(2);
        }
    }

    /** The window part of {@link ImpressionsClicksJob#defineWorkflow}, under a one-input harness. */
    static final class WindowHarness implements AutoCloseable {
        private final KeyedOneInputStreamOperatorTestHarness<Long, FileHour, HourlyCount> harness;

        private WindowHarness(KeyedOneInputStreamOperatorTestHarness<Long, FileHour, HourlyCount> harness) {
            this.harness = harness;
        }

        static WindowHarness create(Duration lateness, Duration updateInterval) throws Exception {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            DataStream<FileHour> in =
                    env.fromData(TypeInformation.of(FileHour.class), file("x", "2022-01-01T00:00", EventKind.CLICK, 1));
            SingleOutputStreamOperator<HourlyCount> hourly =
                    ImpressionsClicksJob.hourlyTotals(in, lateness, updateInterval);
            @SuppressWarnings("unchecked")
            OneInputTransformation<FileHour, HourlyCount> transform =
                    (OneInputTransformation<FileHour, HourlyCount>) hourly.getTransformation();
            @SuppressWarnings("unchecked")
            OneInputStreamOperator<FileHour, HourlyCount> operator = (OneInputStreamOperator<FileHour, HourlyCount>)
                    ((SimpleOperatorFactory<HourlyCount>) transform.getOperatorFactory()).getOperator();
            @SuppressWarnings("unchecked")
            KeySelector<FileHour, Long> key = (KeySelector<FileHour, Long>) transform.getStateKeySelector();
            var harness = new KeyedOneInputStreamOperatorTestHarness<>(operator, key, Types.LONG);
            harness.open();
            return new WindowHarness(harness);
        }

        void add(FileHour c) throws Exception {
            harness.processElement(c, c.hourStart);
        }

        void time(long processingTime) throws Exception {
            harness.setProcessingTime(processingTime);
        }

        void watermark(long w) throws Exception {
            harness.processWatermark(w);
        }

        List<HourlyCount> totals() {
            return harness.extractOutputValues();
        }

        List<FileHour> late() {
            return harness.getSideOutput(ImpressionsClicksJob.LATE).stream()
                    .map(StreamRecord::getValue)
                    .collect(Collectors.toList());
        }

        @Override
        public void close() throws Exception {
            harness.close();
        }
    }
}
