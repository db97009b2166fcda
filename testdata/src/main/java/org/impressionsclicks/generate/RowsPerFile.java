package org.impressionsclicks.generate;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many events each generated file has: always {@code min} when {@code min == max}, otherwise
 * a count drawn uniformly from {@code [min, max]} per file (real upstream files have 3 to 7).
 */
public record RowsPerFile(int min, int max) {

    private static final Pattern SYNTAX = Pattern.compile("(\\d+)(?:-(\\d+))?");

    public RowsPerFile {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException(
                    "rows-per-file must be N or MIN-MAX with 0 <= MIN <= MAX, not " + min + "-" + max);
        }
    }

    public static RowsPerFile exactly(int rows) {
        return new RowsPerFile(rows, rows);
    }

    /** Parses {@code N} or {@code MIN-MAX}. */
    public static RowsPerFile parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "rows-per-file must be N or MIN-MAX (like 5 or 3-7), not '" + text + "'");
        }
        try {
            int min = Integer.parseInt(m.group(1));
            return new RowsPerFile(min, m.group(2) == null ? min : Integer.parseInt(m.group(2)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rows-per-file '" + text + "' is too large");
        }
    }

    /**
     * The next file's count. A fixed count draws nothing, so the random sequence, and with it
     * every file of a seed, stays what it was before ranges existed.
     */
    int draw(Random random) {
        return min == max ? min : min + random.nextInt(max - min + 1);
    }

    @Override
    public String toString() {
        return min == max ? Integer.toString(min) : min + "-" + max;
    }
}
