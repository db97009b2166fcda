package org.impressionsclicks.model;

import java.util.Objects;

/**
 * What one file contributes to one hour: its events of the configured user agent in that hour,
 * already summed inside the file, all of the file's kind. Only hours with at least one event have
 * one.
 */
public class FileHour {

    /** File name (not the full path). */
    public String file;

    public EventKind kind;
    /** Start of the event hour: wall-clock date-hour written as if it were UTC, in epoch millis. */
    public long hourStart;
    /** Matching events of the hour; at least one. */
    public long events;

    public FileHour() {}

    public FileHour(String file, EventKind kind, long hourStart, long events) {
        this.file = file;
        this.kind = kind;
        this.hourStart = hourStart;
        this.events = events;
    }

    /** The events as impressions: all of them for an impressions file, else none. */
    public long impressions() {
        return kind == EventKind.IMPRESSION ? events : 0;
    }

    /** The events as clicks: all of them for a clicks file, else none. */
    public long clicks() {
        return kind == EventKind.CLICK ? events : 0;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FileHour)) {
            return false;
        }
        FileHour that = (FileHour) o;
        return hourStart == that.hourStart
                && events == that.events
                && kind == that.kind
                && Objects.equals(file, that.file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, kind, hourStart, events);
    }

    @Override
    public String toString() {
        return "FileHour{" + file + " " + DateHours.format(hourStart) + " " + events + " " + kind + '}';
    }
}
