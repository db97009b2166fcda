package org.impressionsclicks.source;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * The job's source: Flink's {@link FileSource} (its readers, split and state serializers, and in
 * bounded mode its enumerator) with two changes to how files are handed out.
 *
 * <ul>
 *   <li>Readers keep up to {@code depth} files queued ({@link ReaderQueues}): the file source hands
 *       out one file per request and a reader asks for the next only when it has finished the last,
 *       so every file cost a round trip to the JobManager during which the reader idled; event files
 *       are read in a few milliseconds, so with a backlog that round trip was much of the time.
 *   <li>Bounded, each reader is told once that no more files come ({@link BacklogEnumerator}).
 *   <li>Watching (unbounded), the memory of processed files is bounded by the folder's content
 *       ({@link FolderWatchEnumerator}) instead of growing with every file ever read.
 * </ul>
 *
 * <p>The checkpointed enumerator state is the file source's {@link PendingSplitsCheckpoint} in its
 * own serializer, so savepoints taken with either source restore into the other.
 */
public final class EventFilesSource<T>
        implements Source<T, FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final FileSource<T> files;
    private final FileEnumerator.Provider enumerators;
    private final Path[] folders;
    private final int depth;

    /**
     * @param files the file source, built with {@code enumerators} over {@code folders}
     * @param depth how many files a reader keeps queued
     */
    public EventFilesSource(FileSource<T> files, FileEnumerator.Provider enumerators, Path[] folders, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be at least 1");
        }
        this.files = files;
        this.enumerators = enumerators;
        this.folders = folders.clone();
        this.depth = depth;
    }

    @Override
    public Boundedness getBoundedness() {
        return files.getBoundedness();
    }

    /**
     * The file source's reader, with a hand-over queue (fetcher thread to task thread) that can never
     * fill up. A reader holds at most {@code depth} files, and each puts at most two elements into
     * the queue (its records, then "finished"), so {@code 2 * depth + 2} is never reached. With
     * Flink's default of 2 the queue was often full when a fetcher shut down for lack of files, and
     * then its shutdown hand-over was dropped (FLINK-40660, open): the fetcher waited forever and the
     * task's close hung for {@code 30 s} ("Failed to close the split fetchers in 30000 ms") at the end
     * of about one backfill in three.
     */
    @Override
    public SourceReader<T, FileSourceSplit> createReader(SourceReaderContext context) {
        Configuration config = readerConfiguration(context.getConfiguration(), depth);
        return files.createReader(new SourceReaderContext() {
            @Override
            public SourceReaderMetricGroup metricGroup() {
                return context.metricGroup();
            }

            @Override
            public Configuration getConfiguration() {
                return config;
            }

            @Override
            public String getLocalHostName() {
                return context.getLocalHostName();
            }

            @Override
            public int getIndexOfSubtask() {
                return context.getIndexOfSubtask();
            }

            @Override
            public void sendSplitRequest() {
                context.sendSplitRequest();
            }

            @Override
            public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {
                context.sendSourceEventToCoordinator(sourceEvent);
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return context.getUserCodeClassLoader();
            }

            @Override
            public int currentParallelism() {
                return context.currentParallelism();
            }

            @Override
            public void emitWatermark(org.apache.flink.api.common.watermark.Watermark watermark) {
                context.emitWatermark(watermark);
            }
        });
    }

    /** The task's configuration with a hand-over queue of at least {@code 2 * depth + 2} elements. */
    static Configuration readerConfiguration(Configuration task, int depth) {
        Configuration config = new Configuration(task);
        config.set(SourceReaderOptions.ELEMENT_QUEUE_CAPACITY,
                Math.max(2 * depth + 2, task.get(SourceReaderOptions.ELEMENT_QUEUE_CAPACITY)));
        return config;
    }

    @Override
    public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> createEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context) {
        if (files.getBoundedness() == Boundedness.CONTINUOUS_UNBOUNDED) {
            return watch(context, List.of(), List.of());
        }
        Collection<FileSourceSplit> backlog;
        try {
            backlog = enumerators.create().enumerateSplits(folders, context.currentParallelism());
        } catch (MissingInputFolderException e) {
            // A backfill of a folder that isn't there would fail the same way after every restart.
            throw new SuppressRestartsException(e);
        } catch (IOException e) {
            throw new FlinkRuntimeException("Could not list the input folder " + List.of(folders), e);
        }
        return new BacklogEnumerator(context, files.getAssignerFactory().create(backlog), depth);
    }

    @Override
    public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> restoreEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context, PendingSplitsCheckpoint<FileSourceSplit> checkpoint) {
        if (files.getBoundedness() == Boundedness.CONTINUOUS_UNBOUNDED) {
            return watch(context, checkpoint.getSplits(), checkpoint.getAlreadyProcessedPaths());
        }
        return new BacklogEnumerator(context, files.getAssignerFactory().create(checkpoint.getSplits()), depth);
    }

    private FolderWatchEnumerator watch(SplitEnumeratorContext<FileSourceSplit> context, Collection<FileSourceSplit> pending,
            Collection<Path> processed) {
        return new FolderWatchEnumerator(context, enumerators.create(), files.getAssignerFactory().create(pending), folders,
                processed, files.getContinuousEnumerationSettings().getDiscoveryInterval().toMillis(), depth);
    }

    @Override
    public SimpleVersionedSerializer<FileSourceSplit> getSplitSerializer() {
        return files.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<PendingSplitsCheckpoint<FileSourceSplit>> getEnumeratorCheckpointSerializer() {
        return files.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return files.getProducedType();
    }
}
