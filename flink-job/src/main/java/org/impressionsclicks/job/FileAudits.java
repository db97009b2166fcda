package org.impressionsclicks.job;

import javax.annotation.Nullable;
import org.apache.flink.api.common.functions.MapFunction;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.model.FileAudit;
import org.impressionsclicks.model.FileHour;
import org.impressionsclicks.model.FileResult;

/** Turns the results of the files (and the late counts) into load-audit rows. */
public final class FileAudits {

    private FileAudits() {}

    /** A {@code loaded} or {@code rejected} row for each file. */
    public static final class OfFiles implements MapFunction<FileResult, FileAudit> {
        private static final long serialVersionUID = 1L;

        @Override
        public FileAudit map(FileResult file) {
            return new FileAudit(
                    file.file,
                    prefix(file.kind),
                    file.eventHour,
                    file.rowsRead,
                    file.rowsMatched,
                    file.wasRead() ? FileAudit.LOADED : FileAudit.REJECTED,
                    file.rejection);
        }
    }

    /** A {@code late} row for a file's count that came after its hour's allowed lateness. */
    public static FileAudit late(FileHour count) {
        return new FileAudit(
                count.file,
                prefix(count.kind),
                count.hourStart,
                0,
                0,
                FileAudit.LATE,
                count.events + " matching events of hour " + DateHours.format(count.hourStart)
                        + " arrived after the allowed lateness and are not counted");
    }

    @Nullable
    private static String prefix(@Nullable EventKind kind) {
        return kind == null ? null : kind.prefix();
    }
}
