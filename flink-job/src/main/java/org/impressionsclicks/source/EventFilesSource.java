package org.impressionsclicks.source;

import java.io.IOException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitSerializer;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.connector.file.src.PendingSplitsCheckpointSerializer;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.FlinkRuntimeException;
import org.impressionsclicks.model.CountedFile;

/**
 * The job's source: Flink's file-source pieces (its split, its enumerator state and their
 * serializers, its split assigners, its reader base) put together for many
 * small files.
 *
 * <ul>
 *   <li>Readers keep up to {@code depth} files queued and ask for more in batches of {@code batch}
 *       ({@link ReaderQueues}, {@link EventFileSourceReader}): Flink's file source hands out one file
 *       per request and a reader asks for the next only when it has finished the last, so every file
 *       cost a round trip to the JobManager during which the reader idled, while an upstream file is
 *       read in a fraction of a millisecond.
 *   <li>Bounded, each reader is told once that no more files come ({@link BacklogEnumerator}).
 *   <li>Watching (unbounded), the memory of processed files is bounded by the folder's content
 *       ({@link FolderWatchEnumerator}) instead of growing with every file ever read.
 * </ul>
 *
 * <p>The checkpointed state is Flink's: {@link FileSourceSplit}s in {@link FileSourceSplitSerializer}
 * and the enumerator's {@link PendingSplitsCheckpoint} in {@link PendingSplitsCheckpointSerializer},
 * so savepoints of Flink's {@code FileSource} and of this source restore into each other.
 */
public final class EventFilesSource
        implements Source<CountedFile, FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>>,
                ResultTypeQueryable<CountedFile> {

    private static final long serialVersionUID = 1L;

    /**
     * Files queued at each source reader while a backlog waits. An upstream file is read in a tenth
     * of a millisecond, a request's round trip to the JobManager takes about a millisecond on a busy
     * machine: 256 and 128 read 20 000 such files in 4.8 to 5.1 s where 32 and 16 took 5.5 to 6.6 s
     * (README "Benchmark").
     */
    static final int PREFETCH_DEPTH = 256;
    /** Files a source reader asks for at once, once it has finished as many. */
    static final int REQUEST_BATCH = 128;

    private final EventFileFormat format;
    private final DateRange dates;
    private final FileSplitAssigner.Provider assigners;
    private final Path[] folders;
    /** How often a watching source lists its folders; null for a bounded one. */
    @Nullable
    private final Duration monitorInterval;

    private final int depth;
    private final int batch;

    /**
     * @param monitorInterval how often to list the folders, watching them; null to read what they
     *     hold once (bounded)
     * @param depth how many files a reader keeps queued
     * @param batch how many files a reader asks for at once, at most {@code depth}
     */
    public EventFilesSource(
            EventFileFormat format,
            DateRange dates,
            FileSplitAssigner.Provider assigners,
            Path[] folders,
            @Nullable Duration monitorInterval,
            int depth,
            int batch) {
        if (batch < 1 || batch > depth) {
            throw new IllegalArgumentException("batch must be between 1 and depth " + depth + ", was " + batch);
        }
        this.format = format;
        this.dates = dates;
        this.assigners = assigners;
        this.folders = folders.clone();
        this.monitorInterval = monitorInterval;
        this.depth = depth;
        this.batch = batch;
    }

    /**
     * The job's source of per-file counts of {@code userAgent}'s events in {@code folder}: readers
     * kept {@value #PREFETCH_DEPTH} files ahead, asking for {@value #REQUEST_BATCH} at a time, files
     * handed out oldest first and, watching, a memory of processed files bounded by the folder.
     *
     * @param monitorInterval how often to list the folder, watching it; null to read what it holds
     *     once (bounded)
     */
    public static EventFilesSource ofFolder(
            String folder,
            DateRange dates,
            String userAgent,
            TimeSource timeSource,
            ZoneId timeZone,
            @Nullable Duration monitorInterval) {
        EventFileReader reader = new EventFileReader(new UserAgentMatcher(userAgent), timeSource, timeZone);
        return new EventFilesSource(
                new EventFileFormat(reader),
                dates,
                OldestFirstSplitAssigner.provider(),
                new Path[] {new Path(folder)},
                monitorInterval,
                PREFETCH_DEPTH,
                REQUEST_BATCH);
    }

    @Override
    public Boundedness getBoundedness() {
        return monitorInterval == null ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<CountedFile, FileSourceSplit> createReader(SourceReaderContext context) {
        return new EventFileSourceReader(
                context, format, batch, readerConfiguration(context.getConfiguration(), depth));
    }

    /**
     * The task's configuration with a hand-over queue (fetcher thread to task thread) that a reader
     * can't fill: a file is one element, a reader holds at most {@code 2 * depth} files (a restored
     * one its old files and a new queue), and its fetcher's shutdown adds one. Flink drops that last
     * element when the queue is full (FLINK-40660), and the fetcher then never ends.
     */
    static Configuration readerConfiguration(Configuration task, int depth) {
        Configuration config = new Configuration(task);
        config.set(
                SourceReaderOptions.ELEMENT_QUEUE_CAPACITY,
                Math.max(2 * depth + 2, task.get(SourceReaderOptions.ELEMENT_QUEUE_CAPACITY)));
        return config;
    }

    @Override
    public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> createEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context) {
        if (monitorInterval != null) {
            return watch(context, List.of(), List.of());
        }
        return BacklogEnumerator.listing(context, assigners.create(List.of()), depth, batch, () -> {
            try {
                return new EventFileEnumerator(dates).enumerateSplits(folders, context.currentParallelism());
            } catch (MissingInputFolderException e) {
                // A backfill of a folder that isn't there would fail the same way after every restart.
                throw new SuppressRestartsException(e);
            } catch (IOException e) {
                throw new FlinkRuntimeException("Could not list the input folder " + List.of(folders), e);
            }
        });
    }

    @Override
    public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> restoreEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context, PendingSplitsCheckpoint<FileSourceSplit> checkpoint) {
        if (monitorInterval != null) {
            return watch(context, checkpoint.getSplits(), checkpoint.getAlreadyProcessedPaths());
        }
        return new BacklogEnumerator(context, assigners.create(checkpoint.getSplits()), depth, batch);
    }

    private FolderWatchEnumerator watch(
            SplitEnumeratorContext<FileSourceSplit> context,
            Collection<FileSourceSplit> pending,
            Collection<Path> processed) {
        return new FolderWatchEnumerator(
                context,
                new EventFileEnumerator(dates)::listIfChanged,
                assigners.create(pending),
                folders,
                processed,
                monitorInterval.toMillis(),
                depth,
                batch);
    }

    @Override
    public SimpleVersionedSerializer<FileSourceSplit> getSplitSerializer() {
        return FileSourceSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<PendingSplitsCheckpoint<FileSourceSplit>> getEnumeratorCheckpointSerializer() {
        return new PendingSplitsCheckpointSerializer<>(getSplitSerializer());
    }

    @Override
    public TypeInformation<CountedFile> getProducedType() {
        return TypeInformation.of(CountedFile.class);
    }
}
