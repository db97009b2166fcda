package org.impressionsclicks.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.impressionsclicks.config.JobOptions;
import org.impressionsclicks.generate.AdformParquetWriter;
import org.impressionsclicks.generate.GeneratedEvent;
import org.impressionsclicks.model.CountedFile;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.model.FileHour;
import org.impressionsclicks.model.FileResult;
import org.impressionsclicks.testing.CountedFiles;
import org.impressionsclicks.testing.EventFiles;
import org.impressionsclicks.testing.Jobs;
import org.impressionsclicks.testing.ParquetFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileReaderTest {

    private static final ZoneId ZONE = JobOptions.DEFAULT_TIME_ZONE; // the zone EventFiles writes in

    @TempDir
    Path dir;

    private static EventFileReader reader(TimeSource timeSource) {
        return new EventFileReader(new UserAgentMatcher("some user agent"), timeSource, ZONE);
    }

    private static CountedFile read(EventFileReader reader, Path file) throws Exception {
        String name = file.getFileName().toString();
        return reader.read(EventFileName.parse(name).orElseThrow(), name, ParquetFiles.input(file));
    }

    @Test
    void countsOnlyExactMatchesOfAFullSchemaFileInTheNameHour() throws Exception {
        Path file = new EventFiles(dir).write(EventKind.CLICK, "2022-05-27T11:31:45.108", 5, 8);
        long hour = DateHours.hourStart(LocalDateTime.parse("2022-05-27T11:00"));
        String name = file.getFileName().toString();
        assertThat(read(reader(TimeSource.FILENAME), file))
                .isEqualTo(CountedFiles.inOneHour(name, EventKind.CLICK, hour, 5, 13));
        assertThat(read(reader(TimeSource.RECORD), file))
                .isEqualTo(CountedFiles.inOneHour(name, EventKind.CLICK, hour, 5, 13));
    }

    @Test
    void countsRecordTimeInEachRowsHourInOrderOfFirstAppearance() throws Exception {
        String name = new EventFiles(dir).name(EventKind.IMPRESSION, "2022-05-27T12:10:00.000");
        List<GeneratedEvent> rows = List.of(
                event(Jobs.REFERENCE_USER_AGENT, "2022-05-27T11:10"),
                event(Jobs.REFERENCE_USER_AGENT, "2022-05-27T10:50"),
                event(EventFiles.OTHER_USER_AGENT, "2022-05-27T10:51"),
                event(Jobs.REFERENCE_USER_AGENT, "2022-05-27T12:01"),
                event(Jobs.REFERENCE_USER_AGENT, "2022-05-27T11:20"),
                event(Jobs.REFERENCE_USER_AGENT, "2022-05-27T12:02"),
                event(Jobs.REFERENCE_USER_AGENT, "2022-05-27T12:03"));
        Path file = dir.resolve(name);
        AdformParquetWriter.write(file, EventKind.IMPRESSION, rows, 1);
        long h10 = DateHours.hourStart(LocalDateTime.parse("2022-05-27T10:00"));
        long h11 = h10 + DateHours.HOUR_MILLIS;
        long h12 = h11 + DateHours.HOUR_MILLIS;

        assertThat(read(reader(TimeSource.RECORD), file))
                .isEqualTo(new CountedFile(FileResult.read(name, EventKind.IMPRESSION, h11, h12, 7, 6), new FileHour[] {
                    new FileHour(name, EventKind.IMPRESSION, h11, 2),
                    new FileHour(name, EventKind.IMPRESSION, h10, 1),
                    new FileHour(name, EventKind.IMPRESSION, h12, 3)
                }));
    }

    private static GeneratedEvent event(String userAgent, String wallClock) {
        return new GeneratedEvent(
                userAgent,
                LocalDateTime.parse(wallClock).atZone(ZONE).toInstant().toEpochMilli());
    }

    @Test
    void aFileWithoutMatchesOrRowsHasNoHoursAndItsRowCount() throws Exception {
        EventFiles files = new EventFiles(dir);
        Path none = files.write(EventKind.IMPRESSION, "2022-05-26T09:00:00.000", 0, 3);
        Path empty = files.write(EventKind.IMPRESSION, "2022-05-26T09:10:00.000", 0, 0);
        long hour = DateHours.hourStart(LocalDateTime.parse("2022-05-26T09:00"));
        assertThat(read(reader(TimeSource.FILENAME), none))
                .isEqualTo(CountedFiles.withoutMatches(none.getFileName().toString(), EventKind.IMPRESSION, hour, 3));
        assertThat(read(reader(TimeSource.RECORD), empty))
                .isEqualTo(CountedFiles.withoutMatches(empty.getFileName().toString(), EventKind.IMPRESSION, hour, 0));
    }

    @Test
    void rejectsFilesThatAreNotParquetOrLackTheColumns() throws Exception {
        Path text = dir.resolve("clicks_processed_dk_20220527113145108_1-2_1.parquet");
        Files.writeString(text, "not parquet at all");
        assertThatThrownBy(() -> read(reader(TimeSource.FILENAME), text))
                .isInstanceOf(InvalidEventFileException.class)
                .hasMessageStartingWith("not a readable Parquet file");

        Path empty = dir.resolve("clicks_processed_dk_20220527113145109_1-2_1.parquet");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> read(reader(TimeSource.FILENAME), empty))
                .isInstanceOf(InvalidEventFileException.class);

        MessageType other = MessageTypeParser.parseMessageType(
                "message m { required group device_settings { optional int32 user_agent; } required group transaction_header { required int64 creation_time; } }");
        Path wrongType = dir.resolve("clicks_processed_dk_20220527113145110_1-2_1.parquet");
        try (ParquetWriter<org.apache.parquet.example.data.Group> w = ExampleParquetWriter.builder(
                        new LocalOutputFile(wrongType))
                .withConf(new org.apache.parquet.conf.PlainParquetConfiguration())
                .withType(other)
                .build()) {
            var g = new SimpleGroupFactory(other).newGroup();
            g.addGroup("device_settings").add("user_agent", 1);
            g.addGroup("transaction_header").add("creation_time", 1L);
            w.write(g);
        }
        assertThatThrownBy(() -> read(reader(TimeSource.FILENAME), wrongType))
                .isInstanceOf(InvalidEventFileException.class)
                .hasMessage("column device_settings.user_agent is optional int32 user_agent, expected a single BINARY");
    }
}
