package org.impressionsclicks.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.impressionsclicks.model.EventKind.CLICK;
import static org.impressionsclicks.model.EventKind.IMPRESSION;

import java.time.LocalDateTime;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.FileHour;
import org.impressionsclicks.model.HourlyCount;
import org.junit.jupiter.api.Test;

class CountAggregateTest {

    private static final long HOUR = DateHours.hourStart(LocalDateTime.parse("2022-05-27T12:31:54"));
    private final CountAggregate aggregate = new CountAggregate();

    @Test
    void sumsImpressionsAndClicksOfSeveralFiles() {
        HourlyCount acc = aggregate.createAccumulator();
        acc = aggregate.add(new FileHour("a", IMPRESSION, HOUR, 4), acc);
        acc = aggregate.add(new FileHour("b", IMPRESSION, HOUR, 6), acc);
        acc = aggregate.add(new FileHour("c", CLICK, HOUR, 7), acc);
        acc = aggregate.add(new FileHour("d", CLICK, HOUR, 13), acc);
        assertThat(aggregate.getResult(acc)).isEqualTo(new HourlyCount(0, 10, 20));
    }

    @Test
    void emptyAccumulatorIsZero() {
        assertThat(aggregate.getResult(aggregate.createAccumulator())).isEqualTo(new HourlyCount(0, 0, 0));
    }

    @Test
    void resultIsACopyThatLaterAddsDoNotChange() {
        HourlyCount acc = aggregate.add(new FileHour("a", IMPRESSION, HOUR, 1), aggregate.createAccumulator());
        acc = aggregate.add(new FileHour("b", CLICK, HOUR, 2), acc);
        HourlyCount first = aggregate.getResult(acc);
        aggregate.add(new FileHour("c", IMPRESSION, HOUR, 5), acc);
        aggregate.add(new FileHour("d", CLICK, HOUR, 5), acc);
        assertThat(first).isEqualTo(new HourlyCount(0, 1, 2));
        assertThat(aggregate.getResult(acc)).isEqualTo(new HourlyCount(0, 6, 7));
    }

    @Test
    void mergesAccumulators() {
        assertThat(aggregate.merge(new HourlyCount(0, 1, 2), new HourlyCount(0, 10, 20)))
                .isEqualTo(new HourlyCount(0, 11, 22));
    }
}
