package org.impressionsclicks.source;

import java.io.IOException;
import java.io.Serializable;
import javax.annotation.Nullable;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.impressionsclicks.model.CountedFile;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.model.FileResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a split is to this job: one whole file, read by {@link EventFileReader} into one
 * {@link CountedFile} ({@link EventFileSourceReader} emits it and skips, in a restored split, the
 * hours it had already emitted; the counting is deterministic, so a file is counted once).
 *
 * <p>A file that cannot be used (a name without a valid time, not Parquet, truncated, without the
 * user-agent column) is rejected: one warning with the file and the reason, a result saying so for
 * the metrics and the load audit, and the job keeps running.
 */
public final class EventFileFormat implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EventFileFormat.class);

    private final EventFileReader fileReader;

    public EventFileFormat(EventFileReader fileReader) {
        this.fileReader = fileReader;
    }

    /** The counts of file {@code split}, or its rejection. */
    CountedFile count(FileSourceSplit split) throws IOException {
        String fileName = split.path().getName();
        EventFileName name = EventFileName.parse(fileName).orElse(null);
        if (name == null) {
            return reject(split, null, Long.MIN_VALUE, EventFileName.rejectionReason(fileName));
        }
        try {
            return fileReader.read(name, fileName, new FlinkInputFile(split.path(), split.fileSize()));
        } catch (InvalidEventFileException e) {
            return reject(split, name.kind(), DateHours.hourStart(name.timestamp()), e.getMessage());
        }
    }

    private static CountedFile reject(FileSourceSplit split, @Nullable EventKind kind, long hour, String reason) {
        LOG.warn("Rejected file {}: {}", split.path(), reason);
        return CountedFile.withoutHours(FileResult.rejected(split.path().getName(), kind, hour, reason));
    }
}
