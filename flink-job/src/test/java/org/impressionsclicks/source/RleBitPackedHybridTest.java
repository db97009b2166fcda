package org.impressionsclicks.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Random;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hybrid decoder against parquet-java's encoder, for every bit width, run kind and length. */
class RleBitPackedHybridTest {

    private static final int PAD = 3; // bytes before and after the encoded values, which must not be read

    @ParameterizedTest(name = "bit width {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 16, 17, 24, 31, 32})
    void decodesWhatParquetJavaEncodes(int bitWidth) throws Exception {
        for (int n : new int[] {1, 7, 8, 9, 63, 64, 65, 1000, 4099}) {
            int[] values = values(bitWidth, n, new Random(31L * bitWidth + n));
            byte[] page = encode(bitWidth, values);
            int[] out = new int[n + 2];
            out[0] = -7;
            out[n + 1] = -7;
            RleBitPackedHybrid.decode(page, PAD, page.length - PAD, bitWidth, n, out, 1);
            int[] decoded = java.util.Arrays.copyOfRange(out, 1, n + 1);
            assertThat(decoded).as("bit width %d, %d values", bitWidth, n).isEqualTo(values);
            assertThat(out[0]).isEqualTo(-7);
            assertThat(out[n + 1]).isEqualTo(-7);
        }
    }

    @ParameterizedTest(name = "bit width {0}")
    @ValueSource(ints = {0, 1, 2, 3, 5, 7, 8, 9, 11})
    void countsEachValueIntoItsSlot(int bitWidth) throws Exception {
        for (int n : new int[] {1, 8, 13, 200, 5003}) {
            int[] values = values(bitWidth, n, new Random(7L * bitWidth + n));
            byte[] page = encode(bitWidth, values);
            // two slots: odd values count in slot 0, multiples of 3 in slot 1, the rest nowhere
            int[] slotOf = new int[1 << bitWidth];
            for (int v = 0; v < slotOf.length; v++) {
                slotOf[v] = v % 2 == 1 ? 0 : v % 3 == 0 ? 1 : -1;
            }
            long[] expected = new long[2];
            for (int v : values) {
                if (slotOf[v] >= 0) {
                    expected[slotOf[v]]++;
                }
            }
            long[] counts = new long[2];
            RleBitPackedHybrid.count(page, PAD, page.length - PAD, bitWidth, n, slotOf, counts);
            assertThat(counts).as("bit width %d, %d values", bitWidth, n).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "bit width {0}")
    @ValueSource(ints = {2, 8, 13})
    void aValueBeyondTheDictionaryIsCorrupt(int bitWidth) throws Exception {
        int[] values = values(bitWidth, 100, new Random(bitWidth));
        values[57] = (1 << bitWidth) - 1;
        byte[] page = encode(bitWidth, values);
        int[] slotOf = new int[(1 << bitWidth) - 1];
        assertThatThrownBy(() -> RleBitPackedHybrid.count(
                        page, PAD, page.length - PAD, bitWidth, values.length, slotOf, new long[1]))
                .isInstanceOf(InvalidEventFileException.class)
                .hasMessageContaining("beyond the dictionary");
    }

    @ParameterizedTest(name = "bit width {0}")
    @ValueSource(ints = {1, 4, 8, 9, 20})
    void aPageCutShortIsCorrupt(int bitWidth) throws Exception {
        int[] values = values(bitWidth, 500, new Random(bitWidth));
        byte[] page = encode(bitWidth, values);
        int to = PAD + (page.length - 2 * PAD) / 2;
        assertThatThrownBy(() -> RleBitPackedHybrid.decode(page, PAD, to, bitWidth, values.length, new int[500], 0))
                .isInstanceOf(InvalidEventFileException.class)
                .hasMessageContaining("past the page's end");
    }

    /** Runs long enough for the encoder's RLE, and stretches of random values for its bit-packing. */
    private static int[] values(int bitWidth, int n, Random random) {
        long bound = 1L << bitWidth;
        int[] values = new int[n];
        for (int i = 0; i < n; ) {
            int stretch = Math.min(n - i, 1 + random.nextInt(40));
            boolean run = random.nextInt(3) == 0;
            int runValue = (int) (random.nextLong() & (bound - 1));
            for (int k = 0; k < stretch; k++, i++) {
                values[i] = run ? runValue : (int) (random.nextLong() & (bound - 1));
            }
        }
        return values;
    }

    /** {@code values} encoded by parquet-java, between {@link #PAD} bytes of 0xff on either side. */
    private static byte[] encode(int bitWidth, int[] values) throws IOException {
        RunLengthBitPackingHybridEncoder encoder =
                new RunLengthBitPackingHybridEncoder(bitWidth, 64, 1 << 20, new HeapByteBufferAllocator());
        for (int v : values) {
            encoder.writeInt(v);
        }
        byte[] encoded = encoder.toBytes().toByteArray();
        byte[] page = new byte[encoded.length + 2 * PAD];
        java.util.Arrays.fill(page, (byte) 0xff);
        System.arraycopy(encoded, 0, page, PAD, encoded.length);
        return page;
    }
}
