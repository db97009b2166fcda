package org.impressionsclicks.source;

/**
 * Parquet's RLE/bit-packed hybrid encoding (definition levels, dictionary ids), read straight from
 * the page bytes: either decoded into an array, or only counted.
 *
 * <p>Counting is what makes a dictionary-encoded user-agent column cheap: the user agent is
 * compared with the dictionary once, which maps every dictionary id to a user agent's slot (or -1);
 * a run of {@code n} equal ids then adds {@code n} to its slot in one step, and a bit-packed run
 * costs a shift and a mask per value, with no {@code Binary} and no String per row.
 */
final class RleBitPackedHybrid {

    private RleBitPackedHybrid() {}

    /**
     * Counts {@code n} values of bit width {@code bitWidth} in {@code bytes[from, to)}: each value
     * {@code v} adds to {@code counts[slotOf[v]]}, or to nothing when that is -1.
     */
    static void count(byte[] bytes, int from, int to, int bitWidth, int n, int[] slotOf, long[] counts)
            throws InvalidEventFileException {
        read(bytes, from, to, bitWidth, n, slotOf, counts, null, 0);
    }

    /** Decodes {@code n} values into {@code out[outFrom, outFrom + n)}. */
    static void decode(byte[] bytes, int from, int to, int bitWidth, int n, int[] out, int outFrom)
            throws InvalidEventFileException {
        read(bytes, from, to, bitWidth, n, null, null, out, outFrom);
    }

    private static void read(
            byte[] bytes, int from, int to, int bitWidth, int n, int[] slotOf, long[] counts, int[] out, int outFrom)
            throws InvalidEventFileException {
        if (bitWidth < 0 || bitWidth > 32) {
            throw corrupt("bit width " + bitWidth);
        }
        int pos = from;
        int done = 0;
        long mask = (1L << bitWidth) - 1;
        int valueBytes = (bitWidth + 7) >>> 3;
        while (done < n) {
            long header = 0;
            for (int shift = 0; ; shift += 7) {
                if (pos >= to || shift > 28) {
                    throw corrupt("run header past the page's end");
                }
                int b = bytes[pos++];
                header |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            if ((header & 1) == 0) { // RLE run: a count and one value
                int run = (int) Math.min(header >>> 1, n - done);
                if (run == 0 || to - pos < valueBytes) {
                    throw corrupt("RLE run past the page's end");
                }
                int value = 0;
                for (int i = 0; i < valueBytes; i++) {
                    value |= (bytes[pos++] & 0xff) << (8 * i);
                }
                if (out != null) {
                    java.util.Arrays.fill(out, outFrom + done, outFrom + done + run, value);
                } else {
                    add(slotOf, counts, value, run);
                }
                done += run;
            } else { // bit-packed run: groups of 8 values, least significant bit first
                long groups = header >>> 1;
                int runBytes = (int) Math.min(groups * bitWidth, to - pos);
                int values = (int) Math.min(groups * 8, n - done);
                if ((long) values * bitWidth > 8L * runBytes) {
                    throw corrupt("bit-packed run past the page's end");
                }
                int runEnd = pos + runBytes;
                for (int i = 0; i < values; i++) {
                    long bit = (long) i * bitWidth;
                    int at = pos + (int) (bit >>> 3);
                    long word = 0;
                    for (int b = 0, bytesNeeded = ((int) (bit & 7) + bitWidth + 7) >>> 3; b < bytesNeeded; b++) {
                        word |= (long) (bytes[at + b] & 0xff) << (8 * b);
                    }
                    int value = (int) ((word >>> (bit & 7)) & mask);
                    if (out != null) {
                        out[outFrom + done + i] = value;
                    } else {
                        add(slotOf, counts, value, 1);
                    }
                }
                done += values;
                pos = runEnd;
            }
        }
    }

    private static void add(int[] slotOf, long[] counts, int value, int times) throws InvalidEventFileException {
        if (value >= slotOf.length) {
            throw corrupt("value " + value + " beyond the dictionary's " + slotOf.length + " entries");
        }
        int slot = slotOf[value];
        if (slot >= 0) {
            counts[slot] += times;
        }
    }

    private static InvalidEventFileException corrupt(String what) {
        return ColumnChunkPages.corrupt(what);
    }
}
