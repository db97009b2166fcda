package org.impressionsclicks.source;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import javax.annotation.Nullable;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.fetcher.SingleThreadFetcherManager;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitState;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.impressionsclicks.model.CountedFile;

/**
 * The source reader: Flink's {@link SingleThreadMultiplexSourceReaderBase}, one fetcher thread
 * reading whole files ({@link EventFileFormat}) and the task thread emitting their counts, with the
 * state of {@link org.apache.flink.connector.file.src.FileSource}'s reader. A file is one record,
 * and a split's position counts the hours of its file emitted (one for a file without any,
 * {@link #positionOf}): what the file's records were when each hour was one. So a restored file skips
 * what it had emitted and is counted once, and savepoints restore across that change both ways
 * ({@link #unemitted}). Three things differ from the file source's reader, all for small files:
 *
 * <ul>
 *   <li>A file is one fetch: its counts and "finished" travel to the task thread as one element.
 *   <li>The fetcher thread lives as long as the reader. Flink's reader shuts an idle fetcher down and
 *       starts a new one for the next file, about once per five small files; each hand-over of a
 *       shutdown races with the fetcher's last records and, when it loses, the fetcher waits forever
 *       and the task's close hangs for 30 s (FLINK-40660). Here a fetcher shuts down only once no
 *       more files come (bounded) or the reader closes, into a hand-over queue it can't fill.
 *   <li>It asks for files in batches: one split request per {@code batch} finished files (the first,
 *       with nothing held, is answered with a full queue; see {@link ReaderQueues}), so that a file
 *       costs no round trip to the JobManager.
 * </ul>
 */
final class EventFileSourceReader
        extends SingleThreadMultiplexSourceReaderBase<
                CountedFile, CountedFile, FileSourceSplit, FileSourceSplitState<FileSourceSplit>> {

    private final KeptFetcherManager fetchers;
    private final int batch;
    private int finishedSinceRequest;

    EventFileSourceReader(SourceReaderContext context, EventFileFormat format, int batch, Configuration config) {
        this(new KeptFetcherManager(format, config), context, batch, config);
    }

    private EventFileSourceReader(
            KeptFetcherManager fetchers, SourceReaderContext context, int batch, Configuration config) {
        super(fetchers, new Emitter(), config, context);
        this.fetchers = fetchers;
        this.batch = batch;
    }

    @Override
    public void start() {
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, FileSourceSplitState<FileSourceSplit>> finished) {
        finishedSinceRequest += finished.size();
        while (finishedSinceRequest >= batch) {
            context.sendSplitRequest();
            finishedSinceRequest -= batch;
        }
    }

    @Override
    public void notifyNoMoreSplits() {
        fetchers.noMoreSplits = true;
        super.notifyNoMoreSplits();
    }

    /** Fetchers running or owed their shutdown hand-over (for tests). */
    int aliveFetchers() {
        return fetchers.getNumAliveFetchers();
    }

    @Override
    protected FileSourceSplitState<FileSourceSplit> initializedState(FileSourceSplit split) {
        return new FileSourceSplitState<>(split);
    }

    @Override
    protected FileSourceSplit toSplitType(String splitId, FileSourceSplitState<FileSourceSplit> state) {
        return state.toFileSourceSplit();
    }

    /** A fetcher manager whose fetcher stays until no more splits come (the reader closes it then). */
    private static final class KeptFetcherManager extends SingleThreadFetcherManager<CountedFile, FileSourceSplit> {

        /** Set by the task thread, read by it too (in {@link #maybeShutdownFinishedFetchers}). */
        private boolean noMoreSplits;

        KeptFetcherManager(EventFileFormat format, Configuration config) {
            super(() -> new WholeFileSplitReader(format), config);
        }

        /**
         * Called by the reader after each finished file and while it waits; Flink's shuts idle
         * fetchers down. The answer only matters once no more splits come: then the reader ends when
         * every fetcher is gone.
         */
        @Override
        public boolean maybeShutdownFinishedFetchers() {
            return noMoreSplits && super.maybeShutdownFinishedFetchers();
        }
    }

    /** How far a file moves its split's position: by its hours, or by one for a file without any. */
    static long positionOf(CountedFile file) {
        return Math.max(1, file.hours.length);
    }

    /**
     * What is left of {@code file} to emit at a restored position {@code emitted}: all of it, none
     * (null), or, at a position between its hours, its later hours. Only a savepoint of the version
     * that emitted each hour as a record of its own can hold such a position; that version sent the
     * file's result with the first hour, and it goes again with the rest, where acting on it twice
     * is harmless (its load-audit row is an upsert, its processing a no-op the second time).
     */
    @Nullable
    static CountedFile unemitted(CountedFile file, long emitted) {
        if (emitted <= 0) {
            return file;
        }
        if (emitted >= positionOf(file)) {
            return null;
        }
        return new CountedFile(file.result, Arrays.copyOfRange(file.hours, (int) emitted, file.hours.length));
    }

    /** Reads the next queued file whole per fetch. */
    private static final class WholeFileSplitReader implements SplitReader<CountedFile, FileSourceSplit> {

        private final EventFileFormat format;
        private final Queue<FileSourceSplit> splits = new ArrayDeque<>();

        WholeFileSplitReader(EventFileFormat format) {
            this.format = format;
        }

        @Override
        public RecordsWithSplitIds<CountedFile> fetch() throws IOException {
            RecordsBySplits.Builder<CountedFile> records = new RecordsBySplits.Builder<>();
            FileSourceSplit split = splits.poll();
            if (split != null) {
                long emitted = split.getReaderPosition()
                        .map(CheckpointedPosition::getRecordsAfterOffset)
                        .orElse(0L);
                CountedFile rest = unemitted(format.count(split), emitted);
                if (rest != null) {
                    records.add(split, rest);
                }
                records.addFinishedSplit(split.splitId());
            }
            return records.build();
        }

        @Override
        public void handleSplitsChanges(SplitsChange<FileSourceSplit> change) {
            if (!(change instanceof SplitsAddition)) {
                throw new UnsupportedOperationException("Unsupported split change " + change.getClass());
            }
            splits.addAll(change.splits());
        }

        @Override
        public void wakeUp() {
            // a fetch reads one small file and never blocks for long
        }

        @Override
        public void close() {
            splits.clear();
        }
    }

    /** Emits a file and moves its split's position past it. */
    private static final class Emitter
            implements RecordEmitter<CountedFile, CountedFile, FileSourceSplitState<FileSourceSplit>> {

        @Override
        public void emitRecord(
                CountedFile file, SourceOutput<CountedFile> output, FileSourceSplitState<FileSourceSplit> state) {
            output.collect(file);
            state.setPosition(CheckpointedPosition.NO_OFFSET, state.getRecordsToSkipAfterOffset() + positionOf(file));
        }
    }
}
