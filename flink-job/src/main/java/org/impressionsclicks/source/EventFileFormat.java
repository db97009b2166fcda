package org.impressionsclicks.source;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.FileCount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BulkFormat} of the {@code FileSource}: one split is one whole file, read by
 * {@link EventFileReader} into a handful of per-hour {@link FileCount}s. A restored split skips the
 * records it had already emitted (the counting is deterministic), so a file is counted once.
 *
 * <p>A file that cannot be used (a name without a valid time, not Parquet, truncated, without the
 * user-agent column) is rejected: one warning with the file and the reason, one record saying so
 * for the metrics and the load audit, and the job keeps running.
 */
public final class EventFileFormat implements BulkFormat<FileCount, FileSourceSplit> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EventFileFormat.class);

    private final EventFileReader fileReader;

    public EventFileFormat(EventFileReader fileReader) {
        this.fileReader = fileReader;
    }

    @Override
    public Reader<FileCount> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new SplitReader(count(split), 0);
    }

    @Override
    public Reader<FileCount> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long alreadyEmitted = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new SplitReader(count(split), alreadyEmitted);
    }

    private List<FileCount> count(FileSourceSplit split) throws IOException {
        String fileName = split.path().getName();
        EventFileName name = EventFileName.parse(fileName).orElse(null);
        if (name == null) {
            return List.of(reject(split, Long.MIN_VALUE, EventFileName.rejectionReason(fileName)));
        }
        try {
            return fileReader.read(name, fileName, new FlinkInputFile(split.path(), split.fileSize()));
        } catch (InvalidEventFileException e) {
            return List.of(reject(split, DateHours.hourStart(name.timestamp()), e.getMessage()));
        }
    }

    private static FileCount reject(FileSourceSplit split, long hourStart, String reason) {
        LOG.warn("Rejected file {}: {}", split.path(), reason);
        return FileCount.rejected(split.path().getName(), hourStart, reason);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<FileCount> getProducedType() {
        return TypeInformation.of(FileCount.class);
    }

    /** Hands out the counts of one file as a single batch. */
    private static final class SplitReader implements Reader<FileCount> {

        private Iterator<FileCount> remaining;
        private final long skipped;

        SplitReader(List<FileCount> counts, long alreadyEmitted) {
            int skip = (int) Math.min(alreadyEmitted, counts.size());
            this.remaining = counts.subList(skip, counts.size()).iterator();
            this.skipped = skip;
        }

        @Nullable
        @Override
        public RecordIterator<FileCount> readBatch() {
            if (remaining == null) {
                return null;
            }
            RecordIterator<FileCount> batch =
                    new IteratorResultIterator<>(remaining, CheckpointedPosition.NO_OFFSET, skipped);
            remaining = null;
            return batch;
        }

        @Override
        public void close() {
            remaining = null;
        }
    }
}
