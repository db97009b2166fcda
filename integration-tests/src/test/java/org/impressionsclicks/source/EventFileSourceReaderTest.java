package org.impressionsclicks.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.model.FileCount;
import org.impressionsclicks.testing.Await;
import org.impressionsclicks.testing.EventFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileSourceReaderTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    java.nio.file.Path dir;

    private final Context context = new Context();
    private final Output output = new Output();
    private final EventFileFormat format = new EventFileFormat(
            new EventFileReader(new UserAgentMatcher("some user agent"), TimeSource.FILENAME, ZoneId.of("UTC")));

    @Test
    void readsEveryFileAsksForFilesInBatchesAndClosesAtOnce() throws Exception {
        List<FileSourceSplit> splits = files(10);
        EventFileSourceReader reader = new EventFileSourceReader(context, format, 4, new Configuration());
        reader.start();
        assertThat(context.requests).as("the first request, with nothing held").hasValue(1);

        reader.addSplits(splits);
        reader.notifyNoMoreSplits();
        pollUntilEnd(reader);

        assertThat(output.counts)
                .hasSize(10)
                .allSatisfy(c -> assertThat(c.impressions).isEqualTo(2));
        assertThat(context.requests).as("one more per 4 files finished").hasValue(1 + 10 / 4);
        assertThat(output.counts).extracting(c -> c.file).doesNotHaveDuplicates();

        closeAtOnce(reader);
    }

    @Test
    void aFetcherWithNothingToReadStaysUntilNoMoreFilesCome() throws Exception {
        EventFileSourceReader reader = new EventFileSourceReader(context, format, 1, new Configuration());
        reader.start();
        for (FileSourceSplit split : files(3)) { // one at a time, as a watching source hands them out
            reader.addSplits(List.of(split));
            int requests = context.requests.get();
            Await.until(DEADLINE, "the file read and finished", () -> {
                reader.pollNext(output);
                return context.requests.get() > requests;
            });
            assertThat(reader.pollNext(output)).isEqualTo(InputStatus.NOTHING_AVAILABLE);
            assertThat(reader.aliveFetchers())
                    .as("its fetcher, kept while idle (Flink's reader shuts it down)")
                    .isEqualTo(1);
        }
        assertThat(output.counts).hasSize(3);
        reader.notifyNoMoreSplits();
        pollUntilEnd(reader);
        assertThat(reader.aliveFetchers()).isZero();
        closeAtOnce(reader);
    }

    /** Flink's close waits up to 30 s for fetchers that don't end (FLINK-40660), then leaves them. */
    private static void closeAtOnce(EventFileSourceReader reader) throws Exception {
        long start = System.nanoTime();
        reader.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("closing").isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aRestoredFileSkipsTheCountsItHadEmitted() throws Exception {
        java.nio.file.Path file = new EventFiles(dir).write(EventKind.CLICK, "2022-05-27T11:31:45.108", 5, 1);
        FileSourceSplit whole = split(file, "0");
        List<FileCount> all = format.count(whole);
        assertThat(all).isNotEmpty();

        EventFileSourceReader reader = new EventFileSourceReader(context, format, 1, new Configuration());
        reader.start();
        reader.addSplits(List.of(whole.updateWithCheckpointedPosition(
                new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, all.size()))));
        reader.notifyNoMoreSplits();
        pollUntilEnd(reader);
        closeAtOnce(reader);
        assertThat(output.counts)
                .as("all of the file's counts were emitted before")
                .isEmpty();
    }

    private void pollUntilEnd(EventFileSourceReader reader) throws Exception {
        Await.until(DEADLINE, "the end of input", () -> reader.pollNext(output) == InputStatus.END_OF_INPUT);
    }

    private List<FileSourceSplit> files(int n) throws Exception {
        EventFiles files = new EventFiles(dir);
        List<FileSourceSplit> splits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            java.nio.file.Path file =
                    files.write(EventKind.IMPRESSION, String.format("2022-05-26T%02d:10:00.000", i), 2, 1);
            splits.add(split(file, String.valueOf(i)));
        }
        return splits;
    }

    private static FileSourceSplit split(java.nio.file.Path file, String id) throws Exception {
        long size = Files.size(file);
        return new FileSourceSplit(id, new Path(file.toUri()), 0, size, 0, size);
    }

    private static final class Output implements ReaderOutput<FileCount> {
        final List<FileCount> counts = new ArrayList<>();

        @Override
        public void collect(FileCount count) {
            counts.add(count);
        }

        @Override
        public void collect(FileCount count, long timestamp) {
            counts.add(count);
        }

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        @Override
        public SourceOutput<FileCount> createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }

    private static final class Context implements SourceReaderContext {
        final AtomicInteger requests = new AtomicInteger();

        @Override
        public SourceReaderMetricGroup metricGroup() {
            return UnregisteredMetricsGroup.createSourceReaderMetricGroup();
        }

        @Override
        public Configuration getConfiguration() {
            return new Configuration();
        }

        @Override
        public String getLocalHostName() {
            return "localhost";
        }

        @Override
        public int getIndexOfSubtask() {
            return 0;
        }

        @Override
        public void sendSplitRequest() {
            requests.incrementAndGet();
        }

        @Override
        public void sendSourceEventToCoordinator(SourceEvent event) {}

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
        }
    }
}
