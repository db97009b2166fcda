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
 * Flink's operator test harness: early firing on every file, late corrections, and the side output.
 */
class HourlyWindowTest {

    private static long t(String wallClock) {
        return DateHours.toMillis(LocalDateTime.parse(wallClock));
    }

    private static FileHour file(String name, String hour, EventKind kind, long events) {
        return new FileHour(name, kind, t(hour), events);
    }

    @Test
    void firesARunningTotalOnEveryFileThenCorrectsWithinLatenessAndSidesOutLaterOnes() throws Exception {
        try (WindowHarness h = WindowHarness.create(Duration.ofHours(2))) {
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

    /** The window part of {@link ImpressionsClicksJob#defineWorkflow}, under a one-input harness. */
    static final class WindowHarness implements AutoCloseable {
        private final KeyedOneInputStreamOperatorTestHarness<Long, FileHour, HourlyCount> harness;

        private WindowHarness(KeyedOneInputStreamOperatorTestHarness<Long, FileHour, HourlyCount> harness) {
            this.harness = harness;
        }

        static WindowHarness create(Duration lateness) throws Exception {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            DataStream<FileHour> in =
                    env.fromData(TypeInformation.of(FileHour.class), file("x", "2022-01-01T00:00", EventKind.CLICK, 1));
            SingleOutputStreamOperator<HourlyCount> hourly = ImpressionsClicksJob.hourlyTotals(in, lateness);
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
