package org.impressionsclicks.model;

import java.util.Objects;
import javax.annotation.Nullable;

/**
 * What one Parquet file contributes to one hour: the events of the configured user agent, counted
 * per kind, already summed inside the file (one record per file and hour, before any shuffle).
 *
 * <p>The first record of a file has {@code firstOfFile} set and carries the file-level facts for
 * metrics and the load audit: the file's row count ({@code rowsRead}), its matching rows over all
 * hours ({@code fileMatched}) and, for a file that could not be used, the reason ({@code rejection}).
 * A file without a single matching row, or a rejected one, yields exactly one record with zero counts
 * (for a file whose name has no valid time, at {@code hourStart} {@link Long#MIN_VALUE}).
 */
public class FileCount {

    /** File name (not the full path). */
    public String file;
    /** Start of the event hour: wall-clock date-hour written as if it were UTC, in epoch millis. */
    public long hourStart;

    public long impressions;
    public long clicks;
    public boolean firstOfFile;
    public long rowsRead;
    public long fileMatched;
    /** The file's last hour with matching events (its name's hour when it has none). */
    public long lastHour;
    /** Why the file was rejected; null for a file that was read. */
    @Nullable
    public String rejection;

    public FileCount() {}

    public FileCount(String file, long hourStart, long impressions, long clicks) {
        this.file = file;
        this.hourStart = hourStart;
        this.impressions = impressions;
        this.clicks = clicks;
    }

    /** The first record of a read file, with its file-level facts. */
    public static FileCount first(
            String file,
            long hourStart,
            long impressions,
            long clicks,
            long rowsRead,
            long fileMatched,
            long lastHour) {
        FileCount c = new FileCount(file, hourStart, impressions, clicks);
        c.firstOfFile = true;
        c.rowsRead = rowsRead;
        c.fileMatched = fileMatched;
        c.lastHour = lastHour;
        return c;
    }

    /** The only record of a rejected file. */
    public static FileCount rejected(String file, long hourStart, String reason) {
        FileCount c = new FileCount(file, hourStart, 0, 0);
        c.firstOfFile = true;
        c.rejection = reason;
        c.lastHour = hourStart;
        return c;
    }

    public long matched() {
        return impressions + clicks;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FileCount)) {
            return false;
        }
        FileCount that = (FileCount) o;
        return hourStart == that.hourStart
                && impressions == that.impressions
                && clicks == that.clicks
                && firstOfFile == that.firstOfFile
                && rowsRead == that.rowsRead
                && fileMatched == that.fileMatched
                && lastHour == that.lastHour
                && Objects.equals(file, that.file)
                && Objects.equals(rejection, that.rejection);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                file, hourStart, impressions, clicks, firstOfFile, rowsRead, fileMatched, lastHour, rejection);
    }

    @Override
    public String toString() {
        return "FileCount{" + file + " " + (hourStart == Long.MIN_VALUE ? "-" : DateHours.format(hourStart))
                + " impressions=" + impressions + " clicks=" + clicks
                + (firstOfFile ? " rowsRead=" + rowsRead + " fileMatched=" + fileMatched : "")
                + (rejection == null ? "" : " rejected: " + rejection) + '}';
    }
}
