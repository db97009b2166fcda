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

    @ParameterizedTest(name = "bit width {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void countsGroupsOfIdsAsTheirValuesOneByOne(int bitWidth) throws Exception {
        Random random = new Random(bitWidth);
        int full = 1 << bitWidth;
        for (int entries : new int[] {1, Math.max(1, full - 3), full - 1, full, full + 5}) {
            for (int n : new int[] {1, 7, 8, 9, 13, 64, 65, 1000, 4099}) {
                for (int matched = 0; matched <= RleBitPackedHybrid.WORD_WISE_IDS + 1; matched++) {
                    int[] values = values(bitWidth, n, random);
                    for (int i = 0; i < n; i++) {
                        values[i] %= Math.min(entries, full); // every id within the dictionary
                    }
                    int[] slotOf = new int[entries];
                    java.util.Arrays.fill(slotOf, -1);
                    for (int m = 0; m < matched; m++) {
                        slotOf[random.nextInt(entries)] = m % 2; // ids into two slots
                    }
                    long[] expected = new long[2];
                    for (int v : values) {
                        if (slotOf[v] >= 0) {
                            expected[slotOf[v]]++;
                        }
                    }
                    long[] counts = new long[2];
                    byte[] page = encode(bitWidth, values);
                    RleBitPackedHybrid.count(page, PAD, page.length - PAD, bitWidth, n, slotOf, counts);
                    assertThat(counts)
                            .as(
                                    "bit width %d, %d entries, %d ids with a slot, %d values",
                                    bitWidth, entries, matched, n)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @ParameterizedTest(name = "bit width {0}")
    @ValueSource(ints = {1, 2, 3, 5, 8})
    void anIdBeyondTheDictionaryInAGroupIsCorrupt(int bitWidth) throws Exception {
        int entries = (1 << bitWidth) - 1;
        Random random = new Random(bitWidth);
        for (int n : new int[] {1, 8, 13, 300}) {
            for (int at : new int[] {0, n / 2, n - 1}) {
                int[] values = new int[n];
                for (int i = 0; i < n; i++) {
                    values[i] = random.nextInt(entries);
                }
                values[at] = entries; // one past the last entry
                int[] slotOf = new int[entries];
                java.util.Arrays.fill(slotOf, -1);
                slotOf[0] = 0;
                byte[] page = bitPacked(bitWidth, values, 0);
                assertThatThrownBy(() -> RleBitPackedHybrid.count(
                                page, PAD, page.length - PAD, bitWidth, n, slotOf, new long[1]))
                        .as("bit width %d, %d values, the bad one at %d", bitWidth, n, at)
                        .isInstanceOf(InvalidEventFileException.class)
                        .hasMessageContaining("value " + entries + " beyond the dictionary's " + entries + " entries");
            }
        }
    }

    @ParameterizedTest(name = "bit width {0}")
    @ValueSource(ints = {1, 2, 4, 5, 7, 8})
    void theLanesPastTheLastValueOfAGroupAreNeitherCountedNorChecked(int bitWidth) throws Exception {
        int padding = (1 << bitWidth) - 1; // beyond a dictionary of one entry less, and counted if read
        for (int n : new int[] {1, 3, 7, 9, 15}) {
            int[] values = new int[n];
            java.util.Arrays.fill(values, padding - 1);
            int[] slotOf = new int[padding];
            java.util.Arrays.fill(slotOf, -1);
            slotOf[padding - 1] = 0;
            if (padding - 1 > 0) {
                slotOf[0] = 1;
            }
            long[] counts = new long[2];
            byte[] page = bitPacked(bitWidth, values, padding);
            RleBitPackedHybrid.count(page, PAD, page.length - PAD, bitWidth, n, slotOf, counts);
            assertThat(counts).as("bit width %d, %d values", bitWidth, n).containsExactly(n, 0);
        }
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

    /**
     * {@code values} as one bit-packed run of groups of 8, least significant bit first, the lanes past
     * the last value holding {@code padding}; between {@link #PAD} bytes of 0xff on either side.
     */
    private static byte[] bitPacked(int bitWidth, int[] values, int padding) {
        int groups = (values.length + 7) / 8;
        byte[] page = new byte[2 * PAD + 5 + groups * bitWidth];
        java.util.Arrays.fill(page, (byte) 0xff);
        int pos = PAD;
        for (long header = (long) groups << 1 | 1; ; header >>>= 7) { // the run's ULEB128 header
            page[pos++] = (byte) (header > 0x7f ? header & 0x7f | 0x80 : header);
            if (header <= 0x7f) {
                break;
            }
        }
        java.util.Arrays.fill(page, pos, pos + groups * bitWidth, (byte) 0);
        for (int i = 0; i < groups * 8; i++) {
            long value = i < values.length ? values[i] : padding;
            for (int b = 0; b < bitWidth; b++) {
                long bit = (long) i * bitWidth + b;
                page[pos + (int) (bit >>> 3)] |= (byte) (((value >>> b) & 1) << (bit & 7));
            }
        }
        return java.util.Arrays.copyOf(page, pos + groups * bitWidth + PAD);
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
