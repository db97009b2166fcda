package org.impressionsclicks.source;

/** Where an event's date-hour comes from. */
public enum TimeSource {
    /** The timestamp in the file name, read as wall-clock time (the reference behaviour). */
    FILENAME,
    /** Each row's {@code transaction_header.creation_time} (epoch ms) in the configured zone. */
    RECORD;

    public static TimeSource parse(String value) {
        for (TimeSource s : values()) {
            if (s.name().equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("must be 'filename' or 'record', got '" + value + "'");
    }
}
