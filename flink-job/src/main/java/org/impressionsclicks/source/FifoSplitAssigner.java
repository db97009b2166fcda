package org.impressionsclicks.source;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Optional;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Hands out splits in the order the enumerator found them (oldest file-name time first). Flink's
 * {@code SimpleSplitAssigner} hands them out last-in-first-out, which would read a backlog newest
 * first and turn every older file into late data.
 */
public final class FifoSplitAssigner implements FileSplitAssigner {

    private final ArrayDeque<FileSourceSplit> splits;

    public FifoSplitAssigner(Collection<FileSourceSplit> splits) {
        this.splits = new ArrayDeque<>(splits);
    }

    public static Provider provider() {
        return (Provider & Serializable) FifoSplitAssigner::new;
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
