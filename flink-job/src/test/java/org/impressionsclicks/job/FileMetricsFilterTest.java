package org.impressionsclicks.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneId;
import org.apache.flink.streaming.api.operators.StreamFilter;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.InstantiationUtil;
import org.impressionsclicks.config.JobOptions;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.FileCount;
import org.junit.jupiter.api.Test;

/**
 * The metrics filter as Flink runs it: serialized with the job graph, deserialized on the
 * TaskManager and opened by the operator harness.
 */
class FileMetricsFilterTest {

    private static final long HOUR = DateHours.hourStart(LocalDateTime.parse("2022-05-27T12:31:54"));

    @Test
    void reportsNoLagAndNoHourBeforeTheFirstFileAfterDeserialization() throws Exception {
        FileMetricsFilter deployed = InstantiationUtil.clone(new FileMetricsFilter(JobOptions.DEFAULT_TIME_ZONE));
        try (var harness = new OneInputStreamOperatorTestHarness<>(new StreamFilter<>(deployed))) {
            harness.open();

            assertThat(deployed.fileTimeLagSeconds()).isEqualTo(-1);
            assertThat(deployed.newestHour()).isEqualTo(FileMetricsFilter.NO_HOUR);

            harness.processElement(new StreamRecord<>(FileCount.first("a", HOUR, 3, 0, 5, 3, HOUR)));
            assertThat(deployed.newestHour()).isEqualTo(HOUR);
            assertThat(deployed.fileTimeLagSeconds()).isPositive(); // 2022 is long past
        }
    }

    @Test
    void keepsMatchingCountsAndDropsEmptyAndRejectedFiles() throws Exception {
        FileMetricsFilter deployed = InstantiationUtil.clone(new FileMetricsFilter(ZoneId.of("UTC")));
        try (var harness = new OneInputStreamOperatorTestHarness<>(new StreamFilter<>(deployed))) {
            harness.open();
            FileCount matching = FileCount.first("a", HOUR, 3, 0, 5, 3, HOUR);
            harness.processElement(new StreamRecord<>(matching));
            harness.processElement(new StreamRecord<>(FileCount.first("b", HOUR, 0, 0, 7, 0, HOUR)));
            harness.processElement(new StreamRecord<>(FileCount.rejected("c", HOUR, "not parquet")));

            assertThat(harness.extractOutputValues()).containsExactly(matching);
            var accumulators = harness.getEnvironment()
                    .getAccumulatorRegistry()
                    .getSnapshot()
                    .deserializeUserAccumulators(getClass().getClassLoader());
            assertThat(accumulators.get(FileMetricsFilter.READ_ACCUMULATOR).getLocalValue())
                    .isEqualTo(2L);
            assertThat(accumulators.get(FileMetricsFilter.REJECTED_ACCUMULATOR).getLocalValue())
                    .isEqualTo(1L);
            assertThat(accumulators
                            .get(FileMetricsFilter.EVENTS_READ_ACCUMULATOR)
                            .getLocalValue())
                    .isEqualTo(12L);
            assertThat(accumulators
                            .get(FileMetricsFilter.EVENTS_MATCHED_ACCUMULATOR)
                            .getLocalValue())
                    .isEqualTo(3L);
        }
    }
}
