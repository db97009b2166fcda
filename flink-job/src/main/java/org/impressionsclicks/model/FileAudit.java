package org.impressionsclicks.model;

import java.util.Objects;
import javax.annotation.Nullable;

/** One row of the load audit: what happened to one input file. */
public class FileAudit {

    public static final String LOADED = "loaded";
    public static final String REJECTED = "rejected";
    public static final String LATE = "late";

    public String file;
    /** {@code impressions}, {@code clicks}, or null when the name says neither. */
    @Nullable
    public String kind;
    /** The file-name date-hour (event-time millis), or {@link Long#MIN_VALUE} when the name has none. */
    public long eventHour;

    public long rowsRead;
    public long rowsMatched;
    public String status;

    @Nullable
    public String reason;

    public FileAudit() {}

    public FileAudit(
            String file,
            @Nullable String kind,
            long eventHour,
            long rowsRead,
            long rowsMatched,
            String status,
            @Nullable String reason) {
        this.file = file;
        this.kind = kind;
        this.eventHour = eventHour;
        this.rowsRead = rowsRead;
        this.rowsMatched = rowsMatched;
        this.status = status;
        this.reason = reason;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FileAudit)) {
            return false;
        }
        FileAudit that = (FileAudit) o;
        return eventHour == that.eventHour
                && rowsRead == that.rowsRead
                && rowsMatched == that.rowsMatched
                && Objects.equals(file, that.file)
                && Objects.equals(kind, that.kind)
                && Objects.equals(status, that.status)
                && Objects.equals(reason, that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, kind, eventHour, rowsRead, rowsMatched, status, reason);
    }

    @Override
    public String toString() {
        return "FileAudit{" + file + " " + status + (reason == null ? "" : " (" + reason + ")") + '}';
    }
}
