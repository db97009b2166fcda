package org.impressionsclicks.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.PageType;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.impressionsclicks.model.CountedFile;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.FileHour;
import org.impressionsclicks.testing.CountedFiles;
import org.impressionsclicks.testing.ForeignParquetWriters;
import org.impressionsclicks.testing.ForeignParquetWriters.ForeignFile;
import org.impressionsclicks.testing.Jobs;
import org.impressionsclicks.testing.ParquetFiles;
import org.impressionsclicks.testing.ParquetFiles.Chunk;
import org.impressionsclicks.testing.ParquetFiles.Page;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files from Parquet writers that are not parquet-java (DuckDB, Polars, arrow-rs; see
 * {@link ForeignParquetWriters}), one per codec and page layout, read by {@link EventFileReader} with
 * both time sources: every count must be the one the writing script reports. Each file is first checked
 * to be what its case says (codec, page version, row groups, dictionary fallback, page size), so that a
 * writer upgrade cannot quietly turn a case into another one.
 */
class ForeignWriterFilesTest {

    private static final ZoneId CPH = ZoneId.of("Europe/Copenhagen");
    private static final String[] USER_AGENT = EventFileReader.USER_AGENT;
    private static final String[] CREATION_TIME = EventFileReader.CREATION_TIME;

    @TempDir
    static Path dir;

    @TempDir
    Path scratch;

    private static List<ForeignFile> files;

    @BeforeAll
    static void writeFiles() {
        files = ForeignParquetWriters.write(dir, CPH);
    }

    static Stream<ForeignFile> files() {
        return files.stream();
    }

    private static ForeignFile file(String writer, String caseName) {
        return files.stream()
                .filter(f -> f.writer().equals(writer) && f.caseName().equals(caseName))
                .findFirst()
                .orElseThrow();
    }

    private static CountedFile read(TimeSource timeSource, Path file) throws Exception {
        String name = file.getFileName().toString();
        EventFileReader reader = new EventFileReader(new UserAgentMatcher(Jobs.REFERENCE_USER_AGENT), timeSource, CPH);
        return reader.read(EventFileName.parse(name).orElseThrow(), name, FlinkInputFile.of(file));
    }

    @Test
    void everyCodecIsWrittenByAtLeastOneWriterButLzoWhichNoneWrites() {
        assertThat(files.stream().map(ForeignFile::codec).distinct())
                .containsExactlyInAnyOrder(
                        CompressionCodecName.UNCOMPRESSED,
                        CompressionCodecName.SNAPPY,
                        CompressionCodecName.GZIP,
                        CompressionCodecName.BROTLI,
                        CompressionCodecName.ZSTD,
                        CompressionCodecName.LZ4,
                        CompressionCodecName.LZ4_RAW);
        assertThat(files.stream().map(ForeignFile::writer).distinct())
                .containsExactlyInAnyOrder("duckdb", "polars", "arrow-rs");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void isTheFileItsCaseSays(ForeignFile file) throws Exception {
        List<Chunk> chunks = ParquetFiles.chunks(file.path(), USER_AGENT);
        assertThat(chunks).extracting(Chunk::codec).containsOnly(file.codec());
        List<Page> dataPages = dataPages(chunks);
        for (String claim : file.layout()) {
            String[] kv = claim.split("[=>]+");
            switch (kv[0]) {
                case "pages" ->
                    assertThat(dataPages)
                            .extracting(Page::type)
                            .containsOnly(kv[1].equals("v2") ? PageType.DATA_PAGE_V2 : PageType.DATA_PAGE);
                case "rowGroups" -> assertThat(chunks).hasSizeGreaterThanOrEqualTo(Integer.parseInt(kv[1]));
                case "dictionaryFallback" -> assertThat(chunks).anyMatch(Chunk::fallsBackFromDictionary);
                case "pageBytes" ->
                    assertThat(dataPages).anyMatch(p -> p.uncompressedBytes() >= Integer.parseInt(kv[1]));
                case "userAgentEncoding" ->
                    assertThat(dataPages).extracting(Page::encoding).containsOnly(Encoding.valueOf(kv[1]));
                case "creationTimeEncoding" ->
                    assertThat(dataPages(ParquetFiles.chunks(file.path(), CREATION_TIME)))
                            .extracting(Page::encoding)
                            .containsOnly(Encoding.valueOf(kv[1]));
                default -> throw new AssertionError("unknown layout claim " + claim);
            }
        }
    }

    private static List<Page> dataPages(List<Chunk> chunks) {
        return chunks.stream()
                .flatMap(c -> c.pages().stream())
                .filter(Page::isData)
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void countsEveryMatchInTheFileNameHour(ForeignFile file) throws Exception {
        long hour = DateHours.hourStart(file.nameHour());
        assertThat(read(TimeSource.FILENAME, file.path())).isEqualTo(inNameHour(file, hour));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void countsEveryMatchInTheHourOfItsCreationTime(ForeignFile file) throws Exception {
        CountedFile counted = read(TimeSource.RECORD, file.path());
        assertThat(perHour(file, counted)).isEqualTo(file.recordHours());
        long matchedWithTime =
                file.recordHours().values().stream().mapToLong(Long::longValue).sum();
        LocalDateTime lastHour = file.recordHours().keySet().stream()
                .max(LocalDateTime::compareTo)
                .orElseThrow();
        assertThat(List.of(
                        counted.result.rowsRead,
                        counted.result.rowsMatched,
                        DateHours.toDateTime(counted.result.lastHour)))
                .containsExactly(file.rows(), matchedWithTime, lastHour);
    }

    @Test
    void rejectsAnLzoFileWithAReasonThatNamesTheCodec() throws Exception {
        ForeignFile source = file("duckdb", "uncompressed");
        Path lzo = ParquetFiles.relabelCodec(
                source.path(), scratch.resolve(source.name()), CompressionCodecName.LZO, column -> true);
        assertThat(ParquetFiles.chunks(lzo, USER_AGENT))
                .extracting(Chunk::codec)
                .containsOnly(CompressionCodecName.LZO);
        for (TimeSource timeSource : TimeSource.values()) {
            assertThatThrownBy(() -> read(timeSource, lzo))
                    .isInstanceOf(InvalidEventFileException.class)
                    .hasMessage("compressed with LZO, which this job does not read (GPL codec, not bundled)");
        }
    }

    @Test
    void readsAFileWhoseLzoColumnsAreNotAmongThoseItReads() throws Exception {
        ForeignFile source = file("duckdb", "uncompressed");
        Path partly = ParquetFiles.relabelCodec(
                source.path(),
                scratch.resolve(source.name()),
                CompressionCodecName.LZO,
                column -> column.equals(List.of("ip")));
        long hour = DateHours.hourStart(source.nameHour());
        assertThat(read(TimeSource.FILENAME, partly)).isEqualTo(inNameHour(source, hour));
    }

    @Test
    void readsLz4PagesThatAreOneRawBlockAsOldParquetCppWroteThem() throws Exception {
        ForeignFile source = file("duckdb", "lz4");
        assertThat(source.codec()).isEqualTo(CompressionCodecName.LZ4_RAW);
        Path legacy = ParquetFiles.relabelCodec(
                source.path(), scratch.resolve(source.name()), CompressionCodecName.LZ4, column -> true);
        long hour = DateHours.hourStart(source.nameHour());
        assertThat(read(TimeSource.FILENAME, legacy)).isEqualTo(inNameHour(source, hour));
        assertThat(perHour(source, read(TimeSource.RECORD, legacy))).isEqualTo(source.recordHours());
    }

    /** The file counted with file-name time: all its matches in {@code hour}, the name's. */
    private static CountedFile inNameHour(ForeignFile file, long hour) {
        return file.matched() == 0
                ? CountedFiles.withoutMatches(file.name(), file.kind(), hour, file.rows())
                : CountedFiles.inOneHour(file.name(), file.kind(), hour, file.matched(), file.rows());
    }

    /** Matches per hour; each hour once and of the file's kind, the first one the audit's. */
    private static Map<LocalDateTime, Long> perHour(ForeignFile file, CountedFile counted) {
        Map<LocalDateTime, Long> hours = new LinkedHashMap<>();
        for (FileHour h : counted.hours) {
            assertThat(h.kind).isEqualTo(file.kind());
            assertThat(h.file).isEqualTo(file.name());
            hours.put(DateHours.toDateTime(h.hourStart), h.events);
        }
        assertThat(hours).hasSameSizeAs(counted.hours);
        if (counted.hours.length > 0) {
            assertThat(counted.result.eventHour).isEqualTo(counted.hours[0].hourStart);
        }
        return hours;
    }
}
