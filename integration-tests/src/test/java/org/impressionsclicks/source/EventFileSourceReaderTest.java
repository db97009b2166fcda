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
import org.impressionsclicks.generate.AdformParquetWriter;
import org.impressionsclicks.generate.GeneratedEvent;
import org.impressionsclicks.model.CountedFile;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.model.FileHour;
import org.impressionsclicks.testing.Await;
import org.impressionsclicks.testing.EventFiles;
import org.impressionsclicks.testing.Jobs;
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
                .allSatisfy(c -> assertThat(c.hours).extracting(h -> h.events).containsExactly(2L));
        assertThat(context.requests).as("one more per 4 files finished").hasValue(1 + 10 / 4);
        assertThat(output.counts).extracting(c -> c.result.file).doesNotHaveDuplicates();

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
        assertThat(format.count(whole).hours).hasSize(1);

        assertThat(readRestored(format, whole, 1))
                .as("all of the file's counts were emitted before")
                .isEmpty();
    }

    /**
     * A position counts a file's hours: what its records were before a file became one record. So a
     * savepoint of either version restores in the other, even one taken between a file's hours.
     */
    @Test
    void aSplitsPositionCountsTheHoursOfItsFileEmitted() throws Exception {
        EventFileFormat perRecord = new EventFileFormat(new EventFileReader(
                new UserAgentMatcher(Jobs.REFERENCE_USER_AGENT), TimeSource.RECORD, ZoneId.of("UTC")));
        FileSourceSplit threeHours = split(threeHourFile(), "3");
        CountedFile whole = perRecord.count(threeHours);
        assertThat(whole.hours).extracting(h -> h.events).containsExactly(1L, 2L, 3L);

        assertThat(positionAfterEmitting(perRecord, threeHours)).isEqualTo(3);
        assertThat(readRestored(perRecord, threeHours, 1))
                .as("restored after its first hour")
                .containsExactly(new CountedFile(whole.result, new FileHour[] {whole.hours[1], whole.hours[2]}));
        assertThat(readRestored(perRecord, threeHours, 3))
                .as("restored after its last hour")
                .isEmpty();

        FileSourceSplit noMatch =
                split(new EventFiles(dir).write(EventKind.CLICK, "2022-05-27T11:31:45.108", 0, 2), "0");
        assertThat(perRecord.count(noMatch).hours).isEmpty();
        assertThat(positionAfterEmitting(perRecord, noMatch))
                .as("a file without hours")
                .isEqualTo(1);
        assertThat(readRestored(perRecord, noMatch, 1)).isEmpty();
    }

    /** Matching events in three hours of its creation times: 1, 2 and 3. */
    private java.nio.file.Path threeHourFile() throws Exception {
        String name = new EventFiles(dir).name(EventKind.IMPRESSION, "2022-05-27T12:10:00.000");
        List<GeneratedEvent> rows = new ArrayList<>();
        for (int hour = 10; hour <= 12; hour++) {
            long start = DateHours.toMillis(java.time.LocalDateTime.parse(String.format("2022-05-27T%02d:05", hour)));
            for (int i = 0; i < hour - 9; i++) {
                rows.add(new GeneratedEvent(Jobs.REFERENCE_USER_AGENT, start + i));
            }
            rows.add(new GeneratedEvent(EventFiles.OTHER_USER_AGENT, start));
        }
        java.nio.file.Path file = dir.resolve(name);
        AdformParquetWriter.write(file, EventKind.IMPRESSION, rows, 1);
        return file;
    }

    /** What a reader emits of {@code split} restored at {@code position}. */
    private List<CountedFile> readRestored(EventFileFormat format, FileSourceSplit split, long position)
            throws Exception {
        Output out = new Output();
        EventFileSourceReader reader = new EventFileSourceReader(new Context(), format, 1, new Configuration());
        reader.start();
        reader.addSplits(List.of(split.updateWithCheckpointedPosition(
                new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, position))));
        reader.notifyNoMoreSplits();
        Await.until(DEADLINE, "the end of input", () -> reader.pollNext(out) == InputStatus.END_OF_INPUT);
        closeAtOnce(reader);
        return out.counts;
    }

    /** The position a checkpoint holds for {@code split} right after its file was emitted, before it finished. */
    private long positionAfterEmitting(EventFileFormat format, FileSourceSplit split) throws Exception {
        Output out = new Output();
        EventFileSourceReader reader = new EventFileSourceReader(new Context(), format, 1, new Configuration());
        reader.start();
        reader.addSplits(List.of(split));
        Await.until(DEADLINE, "the file emitted", () -> {
            reader.pollNext(out);
            return !out.counts.isEmpty();
        });
        List<FileSourceSplit> held = reader.snapshotState(1);
        closeAtOnce(reader);
        assertThat(held).as("the split, not finished yet").hasSize(1);
        return held.get(0).getReaderPosition().orElseThrow().getRecordsAfterOffset();
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

    private static final class Output implements ReaderOutput<CountedFile> {
        final List<CountedFile> counts = new ArrayList<>();

        @Override
        public void collect(CountedFile file) {
            counts.add(file);
        }

        @Override
        public void collect(CountedFile file, long timestamp) {
            counts.add(file);
        }

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        @Override
        public SourceOutput<CountedFile> createOutputForSplit(String splitId) {
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
