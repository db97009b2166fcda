package org.impressionsclicks.config;

import java.util.Locale;

/** What happens to an input file once its results are safe ({@code --processed}). */
public enum ProcessedFilesMode {
    KEEP,
    ARCHIVE,
    DELETE;

    public static ProcessedFilesMode parse(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be 'keep', 'archive' or 'delete', got '" + value + "'");
        }
    }
}
