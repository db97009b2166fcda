package org.impressionsclicks.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.parquet.format.OffsetIndex;
import org.apache.parquet.format.PageLocation;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;

class ThriftTemplateTest {

    /** Two pages; the offsets are the holes, the sizes and row indexes stay. */
    private static OffsetIndex index(long first, long second) {
        return new OffsetIndex(List.of(new PageLocation(first, 1234, 0), new PageLocation(second, 99, 20_000)));
    }

    private static byte[] serialized(OffsetIndex index) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Util.writeOffsetIndex(index, out);
        return out.toByteArray();
    }

    @Test
    void fillsTheHolesAsThriftWritesTheirValuesWhateverTheirLength() throws Exception {
        ThriftTemplate template = ThriftTemplate.of(base -> serialized(index(base, base + 1)), 2, List.of());
        for (long[] values : new long[][] {{0, 1}, {4, 63}, {64, 8191}, {8192, 1 << 20}, {Integer.MAX_VALUE, 77}}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            template.write(out, values, (cut, stream) -> {
                throw new AssertionError("no cuts");
            });
            assertThat(out.toByteArray()).isEqualTo(serialized(index(values[0], values[1])));
        }
    }

    @Test
    void writesCutOutPartsWhereTheyStood() throws Exception {
        OffsetIndex cut = index(5, 6);
        byte[] cutBytes = serialized(cut);
        ThriftTemplate template = ThriftTemplate.of(
                base -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(serialized(index(base, 7)));
                    out.write(cutBytes);
                    return out.toByteArray();
                },
                1,
                List.of(cutBytes));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        template.write(out, new long[] {300}, (n, stream) -> stream.write(serialized(index(8, 9))));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(serialized(index(300, 7)));
        expected.write(serialized(index(8, 9)));
        assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void aFieldThatIsNotMarkedOrAValueOutOfRangeIsAnError() throws Exception {
        assertThatThrownBy(() -> ThriftTemplate.of(base -> serialized(index(base, 3)), 2, List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("field 1");
        ThriftTemplate template = ThriftTemplate.of(base -> serialized(index(base, 3)), 1, List.of());
        assertThatThrownBy(() -> template.write(new ByteArrayOutputStream(), new long[] {-1}, (n, s) -> {}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
