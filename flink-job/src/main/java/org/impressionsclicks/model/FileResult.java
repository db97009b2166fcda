package org.impressionsclicks.model;

import java.util.Objects;
import javax.annotation.Nullable;

/**
 * What became of one input file: read, with its row counts, or rejected, with the reason. One per
 * file; the file's metrics, its load-audit row and its place in a day's finished files come from it.
 */
public class FileResult {

    /** File name (not the full path). */
    public String file;
    /** The kind its name says; null when the name says neither (a rejected file). */
    @Nullable
    public EventKind kind;
    /**
     * The hour the load audit names: the file's first hour with matching events (its name's hour
     * when it has none or was rejected); {@link Long#MIN_VALUE} when the name has no valid time.
     */
    public long eventHour;
    /**
     * The file's last hour with matching events (its name's hour when it has none or was
     * rejected; {@link Long#MIN_VALUE} when the name has no valid time): its event time, and the
     * hour whose day's CSV covers the file.
     */
    public long lastHour;
    /** Rows in the file; 0 for a rejected file. */
    public long rowsRead;
    /** Rows of the configured user agent over all hours; 0 for a rejected file. */
    public long rowsMatched;
    /** Why the file was rejected; null for a file that was read. */
    @Nullable
    public String rejection;

    public FileResult() {}

    private FileResult(
            String file,
            @Nullable EventKind kind,
            long eventHour,
            long lastHour,
            long rowsRead,
            long rowsMatched,
            @Nullable String rejection) {
        this.file = file;
        this.kind = kind;
        this.eventHour = eventHour;
        this.lastHour = lastHour;
        this.rowsRead = rowsRead;
        this.rowsMatched = rowsMatched;
        this.rejection = rejection;
    }

    /** A file that was read: {@code rowsMatched} of its {@code rowsRead} rows matched. */
    public static FileResult read(
            String file, EventKind kind, long eventHour, long lastHour, long rowsRead, long rowsMatched) {
        return new FileResult(file, kind, eventHour, lastHour, rowsRead, rowsMatched, null);
    }

    /**
     * A file that could not be used, of the {@code kind} and at the {@code hour} its name says (null
     * and {@link Long#MIN_VALUE} for a name without them).
     */
    public static FileResult rejected(String file, @Nullable EventKind kind, long hour, String reason) {
        return new FileResult(file, kind, hour, hour, 0, 0, Objects.requireNonNull(reason, "reason"));
    }

    /** Whether the file was read (not rejected). */
    public boolean wasRead() {
        return rejection == null;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FileResult)) {
            return false;
        }
        FileResult that = (FileResult) o;
        return eventHour == that.eventHour
                && lastHour == that.lastHour
                && rowsRead == that.rowsRead
                && rowsMatched == that.rowsMatched
                && Objects.equals(file, that.file)
                && kind == that.kind
                && Objects.equals(rejection, that.rejection);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, kind, eventHour, lastHour, rowsRead, rowsMatched, rejection);
    }

    @Override
    public String toString() {
        return "FileResult{" + file + " " + kind + " " + hour(eventHour) + ".." + hour(lastHour)
                + (rejection == null
                        ? " rowsRead=" + rowsRead + " rowsMatched=" + rowsMatched
                        : " rejected: " + rejection)
                + '}';
    }

    private static String hour(long hour) {
        return hour == Long.MIN_VALUE ? "-" : DateHours.format(hour);
    }
}
