package org.impressionsclicks.job;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.model.FileAudit;
import org.impressionsclicks.model.FileCount;
import org.impressionsclicks.source.EventFileName;

/** Turns the per-file facts of the source (and the late counts) into load-audit rows. */
public final class FileAudits {

    private FileAudits() {}

    /** A {@code loaded} or {@code rejected} row from the first record of each file. */
    public static final class OfFiles implements FlatMapFunction<FileCount, FileAudit> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(FileCount count, Collector<FileAudit> out) {
            if (count.firstOfFile) {
                out.collect(new FileAudit(
                        count.file,
                        kind(count.file),
                        count.hourStart,
                        count.rowsRead,
                        count.fileMatched,
                        count.rejection == null ? FileAudit.LOADED : FileAudit.REJECTED,
                        count.rejection));
            }
        }
    }

    /** A {@code late} row for counts that came after their hour's allowed lateness. */
    public static FileAudit late(FileCount count) {
        return new FileAudit(
                count.file,
                kind(count.file),
                count.hourStart,
                0,
                0,
                FileAudit.LATE,
                count.matched() + " matching events of hour " + DateHours.format(count.hourStart)
                        + " arrived after the allowed lateness and are not counted");
    }

    private static String kind(String file) {
        return EventFileName.parse(file)
                .map(EventFileName::kind)
                .map(EventKind::prefix)
                .orElse(null);
    }
}
