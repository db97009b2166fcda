package org.impressionsclicks.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Thrift compact-protocol bytes of a structure in which, from one file to the next, only some
 * integer fields change (and some whole parts, cut out and written by the caller): kept as the runs
 * of bytes between them, so a file's copy is written without Thrift, the runs copied and each field
 * written as {@code TCompactProtocol} writes an i32 or i64. Serializing a ~78 KB footer with Thrift
 * takes tens of thousands of calls per file; copying its runs takes a few.
 *
 * <p>The fields are found, not assumed: the structure is serialized twice with a marker in each
 * changing field, {@code base + n} for the n-th, under two bases; the bytes that differ are the
 * fields. Every marker is five bytes long under both bases and differs only in its last byte.
 */
final class ThriftTemplate {

    /** Serializes the structure with {@code base + n} in its n-th changing field. */
    @FunctionalInterface
    interface Marked {
        byte[] serialize(long base) throws IOException;
    }

    /** Writes the {@code cut}-th cut-out part of a file. */
    @FunctionalInterface
    interface Cut {
        void write(int cut, OutputStream out) throws IOException;
    }

    private static final long BASE = 1L << 30;
    private static final long OTHER_BASE = BASE + (1L << 28);
    private static final int MARKER_BYTES = 5;

    private final byte[][] runs;
    /** Between runs i and i + 1: field number {@code holes[i]}, or cut {@code -holes[i] - 1}. */
    private final int[] holes;

    private ThriftTemplate(byte[][] runs, int[] holes) {
        this.runs = runs;
        this.holes = holes;
    }

    /**
     * The template of a structure with {@code fields} changing fields and the given parts cut out
     * (each the exact bytes it has in the structure, in the order they come).
     */
    static ThriftTemplate of(Marked structure, int fields, List<byte[]> cuts) throws IOException {
        if (fields >= 1 << 27) {
            throw new IllegalArgumentException(fields + " fields are too many to mark");
        }
        byte[] bytes = structure.serialize(BASE);
        byte[] other = structure.serialize(OTHER_BASE);
        if (bytes.length != other.length) {
            throw new IllegalStateException("markers of different lengths");
        }
        List<byte[]> runs = new ArrayList<>();
        List<Integer> holes = new ArrayList<>();
        boolean[] found = new boolean[fields];
        int runStart = 0;
        int nextCut = 0;
        int cutAt = cuts.isEmpty() ? -1 : indexOf(bytes, cuts.get(0), 0);
        for (int i = 0; i < bytes.length; i++) {
            if (i == cutAt) {
                runs.add(Arrays.copyOfRange(bytes, runStart, i));
                holes.add(-nextCut - 1);
                runStart = i + cuts.get(nextCut).length;
                i = runStart - 1;
                nextCut++;
                cutAt = nextCut < cuts.size() ? indexOf(bytes, cuts.get(nextCut), runStart) : -1;
            } else if (bytes[i] != other[i]) {
                int start = i - MARKER_BYTES + 1;
                int field = (int) (readVarint(bytes, start) / 2 - BASE);
                if (start < runStart || field < 0 || field >= fields || found[field]) {
                    throw new IllegalStateException("no marker at byte " + start);
                }
                found[field] = true;
                runs.add(Arrays.copyOfRange(bytes, runStart, start));
                holes.add(field);
                runStart = i + 1;
            }
        }
        runs.add(Arrays.copyOfRange(bytes, runStart, bytes.length));
        for (int f = 0; f < fields; f++) {
            if (!found[f]) {
                throw new IllegalStateException("field " + f + " is not in the serialized structure");
            }
        }
        if (nextCut != cuts.size()) {
            throw new IllegalStateException("cut " + nextCut + " is not in the serialized structure");
        }
        return new ThriftTemplate(
                runs.toArray(new byte[0][]),
                holes.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Writes the structure with field n holding {@code values[n]} (at least 0, at most
     * {@link Integer#MAX_VALUE}: files stay below 2 GB) and the cut-out parts written by {@code cuts}.
     */
    void write(OutputStream out, long[] values, Cut cuts) throws IOException {
        out.write(runs[0]);
        for (int i = 0; i < holes.length; i++) {
            if (holes[i] >= 0) {
                writeVarint(out, values[holes[i]]);
            } else {
                cuts.write(-holes[i] - 1, out);
            }
            out.write(runs[i + 1]);
        }
    }

    /**
     * A non-negative i32 or i64 as {@code TCompactProtocol} writes it: zigzag-encoded (twice the
     * value, for one that is not negative) in base-128 digits, lowest first. Below 2^31 an i32 and
     * an i64 of the same value have the same bytes.
     */
    private static void writeVarint(OutputStream out, long value) throws IOException {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a position or length of " + value + " bytes");
        }
        long zigzag = value << 1;
        while (zigzag >= 0x80) {
            out.write((int) (zigzag & 0x7F) | 0x80);
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
    }

    private static long readVarint(byte[] bytes, int start) {
        long value = 0;
        for (int b = 0; b < MARKER_BYTES; b++) {
            value |= (long) (bytes[start + b] & 0x7F) << (7 * b);
        }
        return value;
    }

    private static int indexOf(byte[] bytes, byte[] part, int from) {
        for (int i = from; i <= bytes.length - part.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new IllegalStateException("a cut of " + part.length + " bytes is not in the serialized structure");
    }
}
