package org.impressionsclicks.source;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.impressionsclicks.model.EventKind;

/**
 * A parsed upstream file name: {@code <kind>_processed_dk_<yyyyMMddHHmmssSSS>_<ids>_<n>.parquet}. The one
 * place that knows the format: {@link #parse} reads it, {@link #format} writes it.
 *
 * <p>The timestamp is wall-clock time (no zone). Names with an impossible date or time are invalid.
 */
public final class EventFileName {

    /**
     * The names {@link #parse} reads, as a regular expression (for reference: {@link #timestampAt} matches
     * them without one, at a tenth of the cost, since every listing reads every file's name).
     */
    static final String PATTERN = "(impressions|clicks)_processed_dk_(\\d{17})_[^/]*\\.parquet";

    private static final String IMPRESSIONS = EventKind.IMPRESSION.prefix() + "_processed_dk_";
    private static final String CLICKS = EventKind.CLICK.prefix() + "_processed_dk_";
    private static final String SUFFIX = ".parquet";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuuMMddHHmmssSSS");

    private final EventKind kind;
    private final LocalDateTime timestamp;

    private EventFileName(EventKind kind, LocalDateTime timestamp) {
        this.kind = kind;
        this.timestamp = timestamp;
    }

    /**
     * The upstream name of a {@code kind} file written at wall-clock {@code timestamp} (to the millisecond):
     * {@code ids} is upstream's id range ({@code <first>-<last>}), {@code n} its partition.
     */
    public static String format(EventKind kind, LocalDateTime timestamp, String ids, int n) {
        return kind.prefix() + "_processed_dk_" + TIMESTAMP.format(timestamp) + "_" + ids + "_" + n + ".parquet";
    }

    /** Parses a file name (not a path); empty if it does not follow the upstream pattern. */
    public static Optional<EventFileName> parse(String fileName) {
        int at = timestampAt(fileName);
        if (at < 0) {
            return Optional.empty();
        }
        EventKind kind = at == IMPRESSIONS.length() ? EventKind.IMPRESSION : EventKind.CLICK;
        LocalDateTime timestamp = timestamp(fileName, at);
        return timestamp == null ? Optional.empty() : Optional.of(new EventFileName(kind, timestamp));
    }

    /**
     * Where the 17 digits of the time start in {@code name} when it matches {@link #PATTERN}, else -1:
     * a kind's prefix, 17 ASCII digits, an underscore, then anything without a slash up to the suffix.
     */
    static int timestampAt(String name) {
        int at = name.startsWith(IMPRESSIONS) ? IMPRESSIONS.length() : name.startsWith(CLICKS) ? CLICKS.length() : -1;
        if (at < 0
                || name.length() < at + 18 + SUFFIX.length()
                || !name.endsWith(SUFFIX)
                || name.charAt(at + 17) != '_') {
            return -1;
        }
        for (int i = at; i < at + 17; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return name.indexOf('/', at + 18) < 0 ? at : -1;
    }

    /**
     * The 17 digits at {@code at} as {@code uuuuMMddHHmmssSSS}, or null for an impossible date or time:
     * what {@code DateTimeFormatter.ofPattern("uuuuMMddHHmmssSSS")} with the strict resolver accepts,
     * read without it (it costs a few microseconds a name, and every file's name is read at each
     * listing).
     */
    private static LocalDateTime timestamp(String s, int at) {
        try {
            return LocalDateTime.of(
                    digits(s, at, 4),
                    digits(s, at + 4, 2),
                    digits(s, at + 6, 2),
                    digits(s, at + 8, 2),
                    digits(s, at + 10, 2),
                    digits(s, at + 12, 2),
                    digits(s, at + 14, 3) * 1_000_000);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int digits(String s, int at, int n) {
        int value = 0;
        for (int i = at; i < at + n; i++) {
            value = value * 10 + (s.charAt(i) - '0');
        }
        return value;
    }

    /** Why {@link #parse} rejects a name, for the one warning we log about it. */
    public static String rejectionReason(String fileName) {
        int at = timestampAt(fileName);
        if (at < 0) {
            return "name does not match <impressions|clicks>_processed_dk_<yyyyMMddHHmmssSSS>_<ids>_<n>.parquet";
        }
        return "impossible timestamp " + fileName.substring(at, at + 17) + " in name";
    }

    /**
     * An upload in progress: upstream writes under a hidden name ({@code .x}, {@code _x}) or with a
     * {@code .tmp} / {@code .inprogress} suffix and renames the file when it is complete.
     */
    public static boolean isInProgress(String fileName) {
        return fileName.startsWith(".")
                || fileName.startsWith("_")
                || fileName.endsWith(".tmp")
                || fileName.endsWith(".inprogress");
    }

    public EventKind kind() {
        return kind;
    }

    public LocalDateTime timestamp() {
        return timestamp;
    }
}
