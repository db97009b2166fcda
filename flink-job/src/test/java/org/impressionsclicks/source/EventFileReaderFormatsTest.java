package org.impressionsclicks.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.format.PageType;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.impressionsclicks.model.CountedFile;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.testing.CountedFiles;
import org.impressionsclicks.testing.ParquetFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link EventFileReader} on files parquet-java writes in every layout it has: data pages v1 and v2,
 * with and without a dictionary, a dictionary that overflows into plain (v1) or DELTA_BYTE_ARRAY
 * (v2) pages mid-chunk, many row groups and pages, nulls, and each codec parquet-java writes here.
 * The counts must be the ones known from writing the rows, for both time sources. Each file is
 * first checked to have the layout its case claims.
 *
 * <p>Then what the reader does not read: a row group whose statistics exclude the user agent is
 * skipped (proved by wrecking its pages), and a broken file is rejected with a reason, never with
 * another exception, wherever it is cut or flipped.
 */
class EventFileReaderFormatsTest {

    private static final ZoneId CPH = ZoneId.of("Europe/Copenhagen");
    private static final String AGENT = "some user agent";
    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message event {"
            + " required group transaction_header { required int64 creation_time; optional int32 filler; }"
            + " optional group device_settings { optional binary user_agent (STRING); optional binary language (STRING); }"
            + " }");
    private static final String NAME = "impressions_processed_dk_20220526101500000_1-2_3.parquet";
    private static final long NAME_HOUR = DateHours.hourStart(LocalDateTime.parse("2022-05-26T10:00"));

    @TempDir
    Path dir;

    /** The rows written and what the reader must find in them. */
    private record Written(Path file, int rows, long matched, Map<Long, Long> perHour) {}

    static Stream<Arguments> layouts() {
        List<Arguments> cases = new ArrayList<>();
        for (WriterVersion version : WriterVersion.values()) {
            for (CompressionCodecName codec : List.of(
                    CompressionCodecName.UNCOMPRESSED,
                    CompressionCodecName.SNAPPY,
                    CompressionCodecName.GZIP,
                    CompressionCodecName.ZSTD,
                    CompressionCodecName.LZ4_RAW)) {
                cases.add(Arguments.of(version, codec, true, 3_000, 40, 4 * 1024));
            }
            cases.add(Arguments.of(version, CompressionCodecName.SNAPPY, false, 3_000, 40, 4 * 1024)); // no dictionary
            cases.add(Arguments.of(
                    version, CompressionCodecName.SNAPPY, true, 12_000, 5_000, 48 * 1024)); // dictionary overflows
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} dictionary={2} rows={3} agents={4} row groups of {5} bytes")
    @MethodSource("layouts")
    void countsEveryLayoutAsWritten(
            WriterVersion version,
            CompressionCodecName codec,
            boolean dictionary,
            int rows,
            int distinctAgents,
            int rowGroupBytes)
            throws Exception {
        Written written = write(dir.resolve(NAME), version, codec, dictionary, rows, distinctAgents, rowGroupBytes, 7);

        List<ParquetFiles.Chunk> chunks = ParquetFiles.chunks(written.file(), "device_settings", "user_agent");
        assertThat(chunks).as("many row groups").hasSizeGreaterThan(2);
        assertThat(chunks).allSatisfy(c -> assertThat(c.codec()).isEqualTo(codec));
        PageType dataPage = version == WriterVersion.PARQUET_1_0 ? PageType.DATA_PAGE : PageType.DATA_PAGE_V2;
        assertThat(chunks.get(0).pages())
                .filteredOn(ParquetFiles.Page::isData)
                .allSatisfy(p -> assertThat(p.type()).isEqualTo(dataPage));
        boolean hasDictionary =
                chunks.stream().flatMap(c -> c.pages().stream()).anyMatch(p -> p.type() == PageType.DICTIONARY_PAGE);
        assertThat(hasDictionary).isEqualTo(dictionary);
        if (distinctAgents > rows / 4) {
            assertThat(chunks)
                    .as("dictionary falls back mid-chunk")
                    .anyMatch(ParquetFiles.Chunk::fallsBackFromDictionary);
        }

        assertThat(read(TimeSource.FILENAME, written.file()))
                .isEqualTo(CountedFiles.inOneHour(NAME, EventKind.IMPRESSION, NAME_HOUR, written.matched(), rows));
        assertThat(CountedFiles.perHour(read(TimeSource.RECORD, written.file())))
                .isEqualTo(written.perHour());
        assertThat(read(TimeSource.RECORD, written.file()).result.rowsRead).isEqualTo(rows);
    }

    @Test
    void aRowGroupWhoseStatisticsExcludeTheUserAgentIsNotRead() throws Exception {
        Path file = dir.resolve(NAME);
        // Row groups of one user agent each: "a..." before, "some user agent" and "z..." after it.
        try (ParquetWriter<Group> writer =
                writer(file, WriterVersion.PARQUET_1_0, CompressionCodecName.SNAPPY, true, 4 * 1024)) {
            SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
            int written = 0;
            for (String agent : List.of("a browser", AGENT, "z browser")) {
                for (int i = 0; i < 2_000; i++) {
                    writer.write(
                            row(groups, agent, DateHours.toMillis(LocalDateTime.parse("2022-05-26T10:20")), written++));
                }
            }
        }
        List<ColumnChunkMetaData> chunks = userAgentChunks(file);
        assertThat(chunks).as("row groups").hasSizeGreaterThanOrEqualTo(3);
        byte[] bytes = Files.readAllBytes(file);
        ColumnChunkMetaData first = chunks.get(0);
        ColumnChunkMetaData last = chunks.get(chunks.size() - 1);
        Path wreckedOutside = dir.resolve("impressions_processed_dk_20220526101500001_1-2_3.parquet");
        Files.write(wreckedOutside, wreck(wreck(bytes, first), last));
        long withDeviceSettings = java.util.stream.IntStream.range(2_000, 4_000)
                .filter(EventFileReaderFormatsTest::hasDeviceSettings)
                .count();
        assertThat(read(TimeSource.FILENAME, wreckedOutside).hours)
                .singleElement()
                .satisfies(h -> assertThat(h.events).isEqualTo(withDeviceSettings));
        assertThat(read(TimeSource.FILENAME, wreckedOutside).result.rowsRead).isEqualTo(6_000);

        ColumnChunkMetaData matching = chunks.stream()
                .filter(c -> AGENT.equals(c.getStatistics().minAsString()))
                .findFirst()
                .orElseThrow();
        Path wreckedInside = dir.resolve("impressions_processed_dk_20220526101500002_1-2_3.parquet");
        Files.write(wreckedInside, wreck(bytes, matching));
        assertThatThrownBy(() -> read(TimeSource.FILENAME, wreckedInside))
                .isInstanceOf(InvalidEventFileException.class)
                .hasMessageStartingWith("not a readable Parquet file (");
    }

    @Test
    void aBrokenFileIsRejectedWithAReasonWhereverItIsCutOrFlipped() throws Exception {
        Written written = write(
                dir.resolve("source.parquet"),
                WriterVersion.PARQUET_1_0,
                CompressionCodecName.SNAPPY,
                true,
                300,
                20,
                4 * 1024,
                3);
        byte[] bytes = Files.readAllBytes(written.file());
        Random random = new Random(11);
        Path broken = dir.resolve(NAME);
        for (int cut = 0; cut < bytes.length; cut += Math.max(1, bytes.length / 97)) {
            Files.write(broken, java.util.Arrays.copyOf(bytes, cut));
            assertThatThrownBy(() -> read(TimeSource.RECORD, broken))
                    .as("cut at %d", cut)
                    .isInstanceOf(InvalidEventFileException.class)
                    .hasMessageStartingWith("not a readable Parquet file (");
        }
        for (int i = 0; i < 400; i++) {
            byte[] flipped = bytes.clone();
            int at = bytes.length - 1 - random.nextInt(Math.min(bytes.length, 2_000)); // mostly the footer
            flipped[at] ^= (byte) (1 + random.nextInt(255));
            Files.write(broken, flipped);
            for (TimeSource timeSource : TimeSource.values()) {
                try {
                    read(timeSource, broken); // a flip in bytes the reader doesn't need may go unnoticed
                } catch (InvalidEventFileException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }
        }
    }

    @Test
    void aFooterLongerThanTheFirstBytesReadIsReadWhole() throws Exception {
        // 1 500 columns before the user agent: a one-row-group footer whose schema alone is 80 KB,
        // more than a local file's first read of its footer; the creation time after it, which a
        // skim in file-name mode does not reach
        StringBuilder schema = new StringBuilder("message event {");
        for (int c = 0; c < 1_500; c++) {
            schema.append(" optional int32 a_column_with_a_long_name_before_the_user_agent_")
                    .append(c)
                    .append(';');
        }
        MessageType wide = MessageTypeParser.parseMessageType(
                schema.append(" optional group device_settings { optional binary user_agent (STRING); }"
                                + " required group transaction_header { required int64 creation_time; } }")
                        .toString());
        Path file = dir.resolve(NAME);
        long time = DateHours.toMillis(LocalDateTime.parse("2022-05-26T08:20"));
        int matched = 0;
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(wide)
                .build()) {
            SimpleGroupFactory groups = new SimpleGroupFactory(wide);
            for (int i = 0; i < 50; i++) {
                Group row = groups.newGroup();
                row.addGroup("transaction_header").add("creation_time", time);
                row.addGroup("device_settings").add("user_agent", i % 3 == 0 ? AGENT : "another agent");
                matched += i % 3 == 0 ? 1 : 0;
                writer.write(row);
            }
        }
        assertThat(ParquetFiles.chunks(file, "device_settings", "user_agent")).hasSize(1);
        byte[] bytes = Files.readAllBytes(file);
        int footer = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getInt();
        int before = EventFileReader.footerPrefix();
        assertThat(footer).as("footer bytes").isGreaterThan(before);

        CountedFile expected = CountedFiles.inOneHour(NAME, EventKind.IMPRESSION, NAME_HOUR, matched, 50);
        assertThat(read(TimeSource.FILENAME, file)).isEqualTo(expected);
        int after = EventFileReader.footerPrefix();
        assertThat(after).as("first bytes read of the next footer").isGreaterThan(before);
        assertThat(read(TimeSource.FILENAME, file)).as("read again, in one go").isEqualTo(expected);
        assertThat(read(TimeSource.RECORD, file).result.rowsRead).isEqualTo(50);
    }

    @Test
    void anEncryptedFileIsRejectedAsSuch() throws Exception {
        Written written = write(
                dir.resolve("source.parquet"),
                WriterVersion.PARQUET_1_0,
                CompressionCodecName.SNAPPY,
                true,
                10,
                2,
                4 * 1024,
                3);
        byte[] bytes = Files.readAllBytes(written.file());
        bytes[bytes.length - 1] = 'E'; // "PARE": the magic of a file with an encrypted footer
        Path encrypted = Files.write(dir.resolve(NAME), bytes);
        assertThatThrownBy(() -> read(TimeSource.FILENAME, encrypted))
                .isInstanceOf(InvalidEventFileException.class)
                .hasMessage("encrypted Parquet file, which this job does not read");
    }

    // ---- helpers

    private static CountedFile read(TimeSource timeSource, Path file) throws IOException {
        String name = file.getFileName().toString();
        return new EventFileReader(new UserAgentMatcher(AGENT), timeSource, CPH)
                .read(EventFileName.parse(name).orElseThrow(), name, FlinkInputFile.of(file));
    }

    private static Written write(
            Path file,
            WriterVersion version,
            CompressionCodecName codec,
            boolean dictionary,
            int rows,
            int distinctAgents,
            int rowGroupBytes,
            long seed)
            throws IOException {
        Random random = new Random(seed);
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        long start = DateHours.toMillis(LocalDateTime.parse("2022-05-26T08:00"))
                - 2 * DateHours.HOUR_MILLIS; // UTC of CPH 08:00
        long matched = 0;
        Map<Long, Long> perHour = new TreeMap<>();
        HourOfInstant hours = new HourOfInstant(CPH);
        try (ParquetWriter<Group> writer = writer(file, version, codec, dictionary, rowGroupBytes)) {
            for (int i = 0; i < rows; i++) {
                long time = start + (long) (random.nextDouble() * 5 * DateHours.HOUR_MILLIS);
                int pick = random.nextInt(10);
                String agent = pick < 3
                        ? AGENT
                        : pick < 4 ? null : "agent " + random.nextInt(distinctAgents) + " like " + AGENT;
                if (AGENT.equals(agent) && hasDeviceSettings(i)) {
                    matched++;
                    perHour.merge(hours.hourStart(time), 1L, Long::sum);
                }
                writer.write(row(groups, agent, time, i));
            }
        }
        return new Written(file, rows, matched, perHour);
    }

    private static Group row(SimpleGroupFactory groups, String agent, long time, int i) {
        Group row = groups.newGroup();
        Group header = row.addGroup("transaction_header");
        header.add("creation_time", time);
        header.add("filler", i);
        if (hasDeviceSettings(i)) {
            Group device = row.addGroup("device_settings");
            if (agent != null) {
                device.add("user_agent", agent);
            }
            device.add("language", "da-DK");
        }
        return row;
    }

    /** Now and then the whole group is null, not only the user agent. */
    private static boolean hasDeviceSettings(int row) {
        return row % 17 != 0;
    }

    private static ParquetWriter<Group> writer(
            Path file, WriterVersion version, CompressionCodecName codec, boolean dictionary, int rowGroupBytes)
            throws IOException {
        return ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(SCHEMA)
                .withWriterVersion(version)
                .withCompressionCodec(codec)
                .withDictionaryEncoding(dictionary)
                .withDictionaryPageSize(4 * 1024)
                .withPageSize(2 * 1024)
                .withPageRowCountLimit(500)
                .withRowGroupSize(rowGroupBytes)
                .withMinRowCountForPageSizeCheck(50)
                .withMaxRowCountForPageSizeCheck(200)
                .build();
    }

    private static List<ColumnChunkMetaData> userAgentChunks(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(ParquetFiles.input(file))) {
            List<ColumnChunkMetaData> chunks = new ArrayList<>();
            for (BlockMetaData block : reader.getFooter().getBlocks()) {
                block.getColumns().stream()
                        .filter(c -> c.getPath().toDotString().equals("device_settings.user_agent"))
                        .forEach(chunks::add);
            }
            return chunks;
        }
    }

    /** The bytes with a column chunk's pages (headers and all) overwritten by garbage. */
    private static byte[] wreck(byte[] bytes, ColumnChunkMetaData chunk) {
        byte[] out = bytes.clone();
        java.util.Arrays.fill(
                out, (int) chunk.getStartingPos(), (int) (chunk.getStartingPos() + chunk.getTotalSize()), (byte) 0xA5);
        return out;
    }
}
