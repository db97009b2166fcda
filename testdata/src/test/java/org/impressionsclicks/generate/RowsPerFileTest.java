package org.impressionsclicks.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RowsPerFileTest {

    @Test
    void parsesACountOrARange() {
        assertThat(RowsPerFile.parse("5")).isEqualTo(RowsPerFile.exactly(5)).hasToString("5");
        assertThat(RowsPerFile.parse("3-7")).isEqualTo(new RowsPerFile(3, 7)).hasToString("3-7");
        assertThat(RowsPerFile.parse("4-4")).isEqualTo(RowsPerFile.exactly(4));
        assertThat(RowsPerFile.parse("0")).isEqualTo(RowsPerFile.exactly(0));
        for (String bad : new String[] {"", "7-3", "-1", "3-", "a", "3..7", "3-7-9", "99999999999"}) {
            assertThatThrownBy(() -> RowsPerFile.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("rows-per-file");
        }
    }

    /** What keeps a seed's files as they were before ranges existed. */
    @Test
    void aFixedCountDrawsNoRandomNumber() {
        Random random = new Random(9);
        assertThat(RowsPerFile.exactly(5).draw(random)).isEqualTo(5);
        assertThat(random.nextLong()).isEqualTo(new Random(9).nextLong());
    }

    @Test
    void aRangeDrawsEveryCountInItAndNoOther() {
        Random random = new Random(1);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(new RowsPerFile(3, 7).draw(random));
        }
        assertThat(seen).containsExactlyInAnyOrder(3, 4, 5, 6, 7);
    }
}
