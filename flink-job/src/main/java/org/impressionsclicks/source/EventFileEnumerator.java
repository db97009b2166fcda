package org.impressionsclicks.source;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Lists the watched folder (not recursively) and makes one split per file; the order in which they
 * are read (oldest file-name time first) is {@link OldestFirstSplitAssigner}'s. Uploads in progress
 * ({@link EventFileName#isInProgress}) are skipped silently; files whose name has a date outside the
 * optional {@code [from, to]} range are skipped. Files whose name does not follow the upstream
 * pattern become splits too, so that the reader rejects each once, with a warning, a metric and a
 * load-audit row.
 */
public final class EventFileEnumerator implements FileEnumerator {

    private final DateRange range;
    private int nextSplitId;

    public EventFileEnumerator(DateRange range) {
        this.range = range;
    }

    /** Serializable factory for the {@code FileSource} builder. */
    public static Provider provider(DateRange range) {
        return (Provider & Serializable) () -> new EventFileEnumerator(range);
    }

    @Override
    public Collection<FileSourceSplit> enumerateSplits(Path[] paths, int minDesiredSplits) throws IOException {
        List<FileSourceSplit> splits = new ArrayList<>();
        for (Path dir : paths) {
            FileSystem fs = dir.getFileSystem();
            FileStatus[] statuses;
            try {
                statuses = fs.listStatus(dir);
            } catch (FileNotFoundException e) {
                statuses = null;
            }
            if (statuses == null) {
                throw new MissingInputFolderException(dir.toString());
            }
            for (FileStatus s : statuses) {
                if (isCandidate(s)) {
                    splits.add(new FileSourceSplit(
                            String.valueOf(nextSplitId++), s.getPath(), 0, s.getLen(), s.getModificationTime(), s.getLen()));
                }
            }
        }
        return splits;
    }

    private boolean isCandidate(FileStatus status) {
        String fileName = status.getPath().getName();
        if (status.isDir() || EventFileName.isInProgress(fileName)) {
            return false;
        }
        return EventFileName.parse(fileName).map(name -> range.contains(name.timestamp().toLocalDate())).orElse(true);
    }
}
