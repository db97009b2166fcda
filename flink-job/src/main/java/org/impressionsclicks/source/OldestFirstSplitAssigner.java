package org.impressionsclicks.source;

import java.io.Serializable;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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

    private static final Comparator<FileSourceSplit> OLDEST_FIRST = Comparator
            .comparing((FileSourceSplit s) -> EventFileName.parse(s.path().getName()).map(EventFileName::timestamp).orElse(LocalDateTime.MAX))
            .thenComparing(s -> s.path().toString())
            .thenComparing(FileSourceSplit::splitId);

    private final TreeSet<FileSourceSplit> splits = new TreeSet<>(OLDEST_FIRST);

    public OldestFirstSplitAssigner(Collection<FileSourceSplit> splits) {
        this.splits.addAll(splits);
    }

    public static Provider provider() {
        return (Provider & Serializable) OldestFirstSplitAssigner::new;
    }

    @Override
    public Optional<FileSourceSplit> getNext(String hostname) {
        return Optional.ofNullable(splits.pollFirst());
    }

    @Override
    public void addSplits(Collection<FileSourceSplit> newSplits) {
        splits.addAll(newSplits);
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        return new ArrayList<>(splits);
    }
}
