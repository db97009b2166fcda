package org.impressionsclicks.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.FileCount;
import org.impressionsclicks.model.HourlyCount;
import org.junit.jupiter.api.Test;

class CountAggregateTest {

    private static final long HOUR = DateHours.hourStart(LocalDateTime.parse("2022-05-27T12:31:54"));
    private final CountAggregate aggregate = new CountAggregate();

    @Test
    void sumsImpressionsAndClicksOfSeveralFiles() {
        HourlyCount acc = aggregate.createAccumulator();
        acc = aggregate.add(new FileCount("a", HOUR, 4, 0), acc);
        acc = aggregate.add(new FileCount("b", HOUR, 6, 0), acc);
        acc = aggregate.add(new FileCount("c", HOUR, 0, 7), acc);
        acc = aggregate.add(new FileCount("d", HOUR, 0, 13), acc);
        assertThat(aggregate.getResult(acc)).isEqualTo(new HourlyCount(0, 10, 20));
    }

    @Test
    void emptyAccumulatorIsZero() {
        assertThat(aggregate.getResult(aggregate.createAccumulator())).isEqualTo(new HourlyCount(0, 0, 0));
    }

    @Test
    void resultIsACopyThatLaterAddsDoNotChange() {
        HourlyCount acc = aggregate.add(new FileCount("a", HOUR, 1, 2), aggregate.createAccumulator());
        HourlyCount first = aggregate.getResult(acc);
        aggregate.add(new FileCount("b", HOUR, 5, 5), acc);
        assertThat(first).isEqualTo(new HourlyCount(0, 1, 2));
        assertThat(aggregate.getResult(acc)).isEqualTo(new HourlyCount(0, 6, 7));
    }

    @Test
    void mergesAccumulators() {
        assertThat(aggregate.merge(new HourlyCount(0, 1, 2), new HourlyCount(0, 10, 20)))
                .isEqualTo(new HourlyCount(0, 11, 22));
    }
}
