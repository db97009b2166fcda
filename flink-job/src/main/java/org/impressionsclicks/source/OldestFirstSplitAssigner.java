package org.impressionsclicks.source;

import java.io.Serializable;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Hands out the file with the oldest file-name time first, whenever it was found or given back.
 * Flink's {@code SimpleSplitAssigner} hands splits out last-in-first-out, which would read a backlog
 * newest first and turn every older file into late data. Plain first-in-first-out is not enough
 * either: the files a failed reader had queued come back after a restart behind everything listed
 * meanwhile, so after a long outage with files landing (and a restart a minute) newer files were read
 * first, the watermark moved past the older ones, and they were dropped as late. Names without a
 * valid time (to be rejected) come last.
 */
public final class OldestFirstSplitAssigner implements FileSplitAssigner {

    /**
     * Oldest file-name time first, then by path; the key is computed once per split, not per comparison
     * (20 000 files are 300 000 comparisons).
     */
    private static final Comparator<Queued> OLDEST_FIRST = (a, b) -> {
        int byTime = Long.compare(a.millis, b.millis);
        if (byTime != 0) {
            return byTime;
        }
        int byPath = a.path.compareTo(b.path);
        return byPath != 0 ? byPath : a.split.splitId().compareTo(b.split.splitId());
    };

    private final TreeSet<Queued> splits = new TreeSet<>(OLDEST_FIRST);

    public OldestFirstSplitAssigner(Collection<FileSourceSplit> splits) {
        addSplits(splits);
    }

    public static Provider provider() {
        return (Provider & Serializable) OldestFirstSplitAssigner::new;
    }

    @Override
    public Optional<FileSourceSplit> getNext(String hostname) {
        return Optional.ofNullable(splits.pollFirst()).map(Queued::split);
    }

    @Override
    public void addSplits(Collection<FileSourceSplit> newSplits) {
        for (FileSourceSplit split : newSplits) {
            String path = split.path().toString();
            long millis = EventFileName.parse(split.path().getName())
                    .map(name -> name.timestamp().toInstant(ZoneOffset.UTC).toEpochMilli())
                    .orElse(Long.MAX_VALUE);
            splits.add(new Queued(millis, path, split));
        }
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        List<FileSourceSplit> remaining = new ArrayList<>(splits.size());
        splits.forEach(q -> remaining.add(q.split()));
        return remaining;
    }

    /** A split with its file-name time (wall-clock, as UTC milliseconds; names without one last). */
    private record Queued(long millis, String path, FileSourceSplit split) {}
}
