package org.impressionsclicks.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.model.FileAudit;
import org.impressionsclicks.model.FileHour;
import org.impressionsclicks.model.FileResult;
import org.junit.jupiter.api.Test;

/** The load-audit rows, from what the reader knew of each file: nothing is parsed again. */
class FileAuditsTest {

    private static final long HOUR = DateHours.hourStart(LocalDateTime.parse("2022-05-27T11:00"));
    /** A name that says neither kind nor time: the kind and hour come from the result, not from here. */
    private static final String NAME = "renamed.parquet";

    private static FileAudit row(FileResult file) {
        return new FileAudits.OfFiles().map(file);
    }

    @Test
    void aReadFileIsLoadedWithItsKindFirstHourAndRowCounts() {
        assertThat(row(FileResult.read(NAME, EventKind.CLICK, HOUR, HOUR + DateHours.HOUR_MILLIS, 13, 5)))
                .isEqualTo(new FileAudit(NAME, "clicks", HOUR, 13, 5, FileAudit.LOADED, null));
    }

    @Test
    void aRejectedFileIsRejectedWithItsReasonAndWhatItsNameSaid() {
        assertThat(row(FileResult.rejected(NAME, EventKind.IMPRESSION, HOUR, "not parquet")))
                .isEqualTo(new FileAudit(NAME, "impressions", HOUR, 0, 0, FileAudit.REJECTED, "not parquet"));
        assertThat(row(FileResult.rejected(NAME, null, Long.MIN_VALUE, "bad name")))
                .isEqualTo(new FileAudit(NAME, null, Long.MIN_VALUE, 0, 0, FileAudit.REJECTED, "bad name"));
    }

    @Test
    void aLateCountIsLateWithItsEventsInTheReason() {
        assertThat(FileAudits.late(new FileHour(NAME, EventKind.IMPRESSION, HOUR, 4)))
                .isEqualTo(new FileAudit(
                        NAME,
                        "impressions",
                        HOUR,
                        0,
                        0,
                        FileAudit.LATE,
                        "4 matching events of hour 2022-05-27T11 arrived after the allowed lateness and are not"
                                + " counted"));
    }
}
