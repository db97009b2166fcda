package org.impressionsclicks.source;

import java.io.Serializable;
import java.time.LocalDateTime;
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

    /** Oldest file-name time first, then by path; the key is computed once per split, not per comparison. */
    private static final Comparator<Queued> OLDEST_FIRST = Comparator.comparing(Queued::time)
            .thenComparing(Queued::path)
            .thenComparing(q -> q.split().splitId());

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
            LocalDateTime time = EventFileName.parse(split.path().getName())
                    .map(EventFileName::timestamp)
                    .orElse(LocalDateTime.MAX);
            splits.add(new Queued(time, path, split));
        }
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        List<FileSourceSplit> remaining = new ArrayList<>(splits.size());
        splits.forEach(q -> remaining.add(q.split()));
        return remaining;
    }

    private record Queued(LocalDateTime time, String path, FileSourceSplit split) {}
}
