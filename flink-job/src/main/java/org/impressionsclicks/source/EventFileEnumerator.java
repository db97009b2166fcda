package org.impressionsclicks.source;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Lists the watched folder (not recursively) and makes one split per file, ordered by the time in
 * the name so a backlog is read oldest first. Uploads in progress ({@link EventFileName#isInProgress})
 * are skipped silently; files whose name has a date outside the optional {@code [from, to]} range are
 * skipped. Files whose name does not follow the upstream pattern become splits too, last, so that
 * the reader rejects each once, with a warning, a metric and a load-audit row.
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
        List<Candidate> candidates = new ArrayList<>();
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
            for (FileStatus status : statuses) {
                Candidate c = candidate(status);
                if (c != null) {
                    candidates.add(c);
                }
            }
        }
        candidates.sort(Comparator.comparing((Candidate c) -> c.name == null ? LocalDateTime.MAX : c.name.timestamp())
                .thenComparing(c -> c.status.getPath().getName()));
        List<FileSourceSplit> splits = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            FileStatus s = c.status;
            splits.add(new FileSourceSplit(
                    String.valueOf(nextSplitId++), s.getPath(), 0, s.getLen(), s.getModificationTime(), s.getLen()));
        }
        return splits;
    }

    @Nullable
    private Candidate candidate(FileStatus status) {
        String fileName = status.getPath().getName();
        if (status.isDir() || EventFileName.isInProgress(fileName)) {
            return null;
        }
        EventFileName name = EventFileName.parse(fileName).orElse(null);
        return name == null || range.contains(name.timestamp().toLocalDate()) ? new Candidate(status, name) : null;
    }

    private static final class Candidate {
        final FileStatus status;
        @Nullable final EventFileName name;

        Candidate(FileStatus status, @Nullable EventFileName name) {
            this.status = status;
            this.name = name;
        }
    }
}
