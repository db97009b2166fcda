package org.impressionsclicks.source;

import java.util.Arrays;

/**
 * Parquet's RLE/bit-packed hybrid encoding (definition levels, dictionary ids), read straight from
 * the page bytes: either decoded into an array, or only counted.
 *
 * <p>Counting is what makes a dictionary-encoded user-agent column cheap: the user agent is
 * compared with the dictionary once, which maps every dictionary id to a user agent's slot (or -1);
 * a run of {@code n} equal ids then adds {@code n} to its slot in one step, and a bit-packed run
 * of ids up to 8 bits wide is compared a group of 8 ids at a time ({@link #countGroups}), with no
 * {@code Binary}, no String and no step per row.
 */
final class RleBitPackedHybrid {

    /**
     * The most dictionary ids a bit-packed run is counted for word by word; a page where more ids
     * have a slot is counted value by value.
     */
    static final int WORD_WISE_IDS = 4;

    /** By bit width 1 to 8: bit 0 of each of a group's 8 values, packed in a long as Parquet does. */
    private static final long[] LOW = new long[9];

    /** By bit width: bit 0 of values 0, 2, 4 and 6 of a group. */
    private static final long[] LOW_EVEN = new long[9];

    static {
        for (int w = 1; w <= 8; w++) {
            for (int k = 0; k < 8; k++) {
                LOW[w] |= 1L << (k * w);
                LOW_EVEN[w] |= k % 2 == 0 ? 1L << (k * w) : 0;
            }
        }
    }

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
        int[] wordWise = out == null ? wordWiseIds(bitWidth, slotOf) : null;
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
                if (wordWise != null) {
                    countGroups(bytes, pos, runEnd, bitWidth, values, wordWise, slotOf, counts);
                    done += values;
                    pos = runEnd;
                    continue;
                }
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

    /**
     * The ids of bit width {@code bitWidth} that have a slot, when a count can compare them word by
     * word (bit widths 1 to 8, at most {@link #WORD_WISE_IDS} of them, a dictionary of at least one
     * entry); else null.
     */
    private static int[] wordWiseIds(int bitWidth, int[] slotOf) {
        if (bitWidth < 1 || bitWidth > 8 || slotOf.length == 0) {
            return null;
        }
        int[] ids = new int[WORD_WISE_IDS];
        int found = 0;
        for (int id = 0, end = Math.min(slotOf.length, 1 << bitWidth); id < end; id++) {
            if (slotOf[id] >= 0) {
                if (found == WORD_WISE_IDS) {
                    return null;
                }
                ids[found++] = id;
            }
        }
        return Arrays.copyOf(ids, found);
    }

    /**
     * Counts the {@code values} ids of a bit-packed run in {@code bytes[pos, end)}, a group of 8 at a
     * time: a group of ids {@code w} bits wide is {@code w} bytes, one long. An id equal to one of
     * {@code ids} is a lane of zeros in the group xor that id in every lane, and
     * {@code ((x & rest) + rest) | x} sets a lane's high bit exactly when the lane is not zero, no carry
     * crossing lanes. When the dictionary has fewer than {@code 2^w} entries, the group's even lanes and
     * its odd ones, each with a lane of room above it, plus {@code 2^w - entries} carry out of a lane
     * exactly when its id is beyond the dictionary. Lanes past {@code values} are masked off.
     */
    private static void countGroups(
            byte[] bytes, int pos, int end, int w, int values, int[] ids, int[] slotOf, long[] counts)
            throws InvalidEventFileException {
        long low = LOW[w];
        long high = low << (w - 1);
        long rest = high - low;
        int entries = slotOf.length;
        boolean check = entries < 1 << w;
        long evenLanes = LOW_EVEN[w] * ((1L << w) - 1);
        long plus = LOW_EVEN[w] * ((1L << w) - entries);
        long carries = LOW_EVEN[w] << w;
        for (int first = 0, at = pos; first < values; first += 8, at += w) {
            long word = 0;
            for (int b = 0, n = Math.min(w, end - at); b < n; b++) {
                word |= (bytes[at + b] & 0xffL) << (8 * b);
            }
            int lanes = Math.min(8, values - first);
            long lanesMask = lanes * w < 64 ? (1L << (lanes * w)) - 1 : -1L;
            word &= lanesMask;
            if (check && ((((word & evenLanes) + plus) | (((word >>> w) & evenLanes) + plus)) & carries) != 0) {
                for (int k = 0; k < lanes; k++) { // the first id beyond the dictionary, for its message
                    add(slotOf, counts, (int) (word >>> (k * w)) & ((1 << w) - 1), 0);
                }
            }
            long highs = high & lanesMask;
            for (int i = 0; i < ids.length; i++) {
                long x = word ^ (low * ids[i]);
                counts[slotOf[ids[i]]] += Long.bitCount(~(((x & rest) + rest) | x) & highs);
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
