package org.impressionsclicks.source;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.impressionsclicks.model.EventKind;

/**
 * A parsed upstream file name: {@code <kind>_processed_dk_<yyyyMMddHHmmssSSS>_<ids>_<n>.parquet}.
 *
 * <p>The timestamp is wall-clock time (no zone). Names with an impossible date or time are invalid.
 */
public final class EventFileName {

    private static final Pattern NAME =
            Pattern.compile("(impressions|clicks)_processed_dk_(\\d{17})_[^/]*\\.parquet");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuuMMddHHmmssSSS").withResolverStyle(ResolverStyle.STRICT);

    private final EventKind kind;
    private final LocalDateTime timestamp;

    private EventFileName(EventKind kind, LocalDateTime timestamp) {
        this.kind = kind;
        this.timestamp = timestamp;
    }

    /** Parses a file name (not a path); empty if it does not follow the upstream pattern. */
    public static Optional<EventFileName> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        EventKind kind = m.group(1).equals(EventKind.IMPRESSION.prefix()) ? EventKind.IMPRESSION : EventKind.CLICK;
        try {
            return Optional.of(new EventFileName(kind, LocalDateTime.parse(m.group(2), TIMESTAMP)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Why {@link #parse} rejects a name, for the one warning we log about it. */
    public static String rejectionReason(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return "name does not match <impressions|clicks>_processed_dk_<yyyyMMddHHmmssSSS>_<ids>_<n>.parquet";
        }
        return "impossible timestamp " + m.group(2) + " in name";
    }

    /**
     * An upload in progress: upstream writes under a hidden name ({@code .x}, {@code _x}) or with a
     * {@code .tmp} / {@code .inprogress} suffix and renames the file when it is complete.
     */
    public static boolean isInProgress(String fileName) {
        return fileName.startsWith(".") || fileName.startsWith("_") || fileName.endsWith(".tmp") || fileName.endsWith(".inprogress");
    }

    public EventKind kind() {
        return kind;
    }

    public LocalDateTime timestamp() {
        return timestamp;
    }
}
