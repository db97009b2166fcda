package org.impressionsclicks.source;

import java.io.Serializable;
import java.time.LocalDate;
import javax.annotation.Nullable;

/** An inclusive range of file-name dates; either end may be open. */
public final class DateRange implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final DateRange ALL = new DateRange(null, null);

    @Nullable
    private final LocalDate from;

    @Nullable
    private final LocalDate to;

    public DateRange(@Nullable LocalDate from, @Nullable LocalDate to) {
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
        this.from = from;
        this.to = to;
    }

    public boolean contains(LocalDate date) {
        return (from == null || !date.isBefore(from)) && (to == null || !date.isAfter(to));
    }

    @Override
    public String toString() {
        return (from == null ? "*" : from.toString()) + ".." + (to == null ? "*" : to.toString());
    }
}
