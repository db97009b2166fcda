package org.impressionsclicks.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.InstantiationUtil;
import org.impressionsclicks.config.JobOptions;
import org.impressionsclicks.model.CountedFile;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.model.FileHour;
import org.impressionsclicks.model.FileResult;
import org.junit.jupiter.api.Test;

/**
 * The split of the files as Flink runs it: serialized with the job graph, deserialized on the
 * TaskManager and opened by the operator harness.
 */
class FileMetricsFilterTest {

    private static final long HOUR = DateHours.hourStart(LocalDateTime.parse("2022-05-27T12:31:54"));
    private static final long NEXT = HOUR + DateHours.HOUR_MILLIS;

    private static CountedFile twoHours(String name) {
        return new CountedFile(FileResult.read(name, EventKind.IMPRESSION, HOUR, NEXT, 5, 3), new FileHour[] {
            new FileHour(name, EventKind.IMPRESSION, HOUR, 2), new FileHour(name, EventKind.IMPRESSION, NEXT, 1)
        });
    }

    private static OneInputStreamOperatorTestHarness<CountedFile, FileHour> open(FileMetricsFilter operator)
            throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(InstantiationUtil.clone(operator));
        harness.open();
        return harness;
    }

    private static FileMetricsFilter deployed(OneInputStreamOperatorTestHarness<CountedFile, FileHour> harness) {
        return (FileMetricsFilter) harness.getOneInputOperator();
    }

    private static void process(OneInputStreamOperatorTestHarness<CountedFile, FileHour> harness, CountedFile file)
            throws Exception {
        harness.processElement(file, file.result.lastHour); // the timestamp the event time operator gives
    }

    @Test
    void reportsNoLagAndNoHourBeforeTheFirstFileAfterDeserialization() throws Exception {
        try (var harness = open(new FileMetricsFilter(JobOptions.DEFAULT_TIME_ZONE))) {
            assertThat(deployed(harness).fileTimeLagSeconds()).isEqualTo(-1);
            assertThat(deployed(harness).newestHour()).isEqualTo(FileMetricsFilter.NO_HOUR);

            process(harness, twoHours("a"));
            assertThat(deployed(harness).newestHour()).isEqualTo(NEXT);
            assertThat(deployed(harness).fileTimeLagSeconds()).isPositive(); // 2022 is long past
        }
    }

    @Test
    void sendsEachHourOnWithItsOwnTimestampAndEveryFilesResultAside() throws Exception {
        try (var harness = open(new FileMetricsFilter(ZoneId.of("UTC")))) {
            CountedFile matching = twoHours("a");
            CountedFile none = CountedFile.withoutHours(FileResult.read("b", EventKind.CLICK, HOUR, HOUR, 7, 0));
            CountedFile rejected =
                    CountedFile.withoutHours(FileResult.rejected("c", EventKind.CLICK, HOUR, "not parquet"));
            CountedFile badName = CountedFile.withoutHours(FileResult.rejected("d", null, Long.MIN_VALUE, "name"));
            for (CountedFile file : List.of(matching, none, rejected, badName)) {
                process(harness, file);
            }

            assertThat(harness.extractOutputStreamRecords())
                    .as("the hours of the matching file, each at its hour: none for the others")
                    .extracting(r -> (StreamRecord<FileHour>) r)
                    .containsExactly(
                            new StreamRecord<>(matching.hours[0], HOUR), new StreamRecord<>(matching.hours[1], NEXT));
            assertThat(harness.getSideOutput(FileMetricsFilter.FILES))
                    .as("every file's result, at the file's time")
                    .containsExactly(
                            new StreamRecord<>(matching.result, NEXT),
                            new StreamRecord<>(none.result, HOUR),
                            new StreamRecord<>(rejected.result, HOUR),
                            new StreamRecord<>(badName.result, Long.MIN_VALUE));
        }
    }

    @Test
    void countsFilesAndEventsOncePerFile() throws Exception {
        try (var harness = open(new FileMetricsFilter(ZoneId.of("UTC")))) {
            process(harness, twoHours("a"));
            process(harness, CountedFile.withoutHours(FileResult.read("b", EventKind.CLICK, HOUR, HOUR, 7, 0)));
            long later = NEXT + DateHours.HOUR_MILLIS;
            process(harness, CountedFile.withoutHours(FileResult.rejected("c", EventKind.CLICK, later, "not parquet")));

            assertThat(accumulators(harness))
                    .containsEntry(FileMetricsFilter.READ_ACCUMULATOR, 2L)
                    .containsEntry(FileMetricsFilter.REJECTED_ACCUMULATOR, 1L)
                    .containsEntry(FileMetricsFilter.EVENTS_READ_ACCUMULATOR, 12L)
                    .containsEntry(FileMetricsFilter.EVENTS_MATCHED_ACCUMULATOR, 3L);
            assertThat(deployed(harness).newestHour())
                    .as("a rejected file's later hour is not one read")
                    .isEqualTo(NEXT);
        }
    }

    private static Map<String, Object> accumulators(OneInputStreamOperatorTestHarness<CountedFile, FileHour> harness)
            throws Exception {
        return harness
                .getEnvironment()
                .getAccumulatorRegistry()
                .getSnapshot()
                .deserializeUserAccumulators(FileMetricsFilterTest.class.getClassLoader())
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getLocalValue()));
    }
}
