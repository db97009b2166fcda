package org.impressionsclicks.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One input file as the source read it: its {@link FileResult} and its {@link FileHour}s (in order
 * of first appearance in the file; none for a file without a matching row, or a rejected one). The
 * job splits it once, right after event time is assigned: the hours go to the hourly windows, the
 * result to the file-level operators.
 */
public class CountedFile {

    private static final FileHour[] NO_HOURS = {};

    public FileResult result;
    public FileHour[] hours;

    public CountedFile() {}

    public CountedFile(FileResult result, FileHour[] hours) {
        this.result = result;
        this.hours = hours;
    }

    /** A file without hours: rejected, or without a matching row. */
    public static CountedFile withoutHours(FileResult result) {
        return new CountedFile(result, NO_HOURS);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CountedFile)) {
            return false;
        }
        CountedFile that = (CountedFile) o;
        return Objects.equals(result, that.result) && Arrays.equals(hours, that.hours);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(result) + Arrays.hashCode(hours);
    }

    @Override
    public String toString() {
        return "CountedFile{" + result + " " + Arrays.toString(hours) + '}';
    }
}
