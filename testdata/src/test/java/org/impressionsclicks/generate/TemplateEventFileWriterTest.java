package org.impressionsclicks.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.testing.ParquetFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TemplateEventFileWriterTest {

    private static final long T = 1_653_570_000_000L;
    private static final String LONG_AGENT =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/101.0.4951.64 Safari/537.36";

    @TempDir
    Path dir;

    /**
     * The writer patches a footer it converted once instead of having parquet-java's file writer
     * convert and serialize ~545 chunks per file; the files must not notice. This is how files were
     * assembled before (and how parquet-java appends chunks): whatever the job columns' sizes, so
     * however far the fillers behind them move, the bytes are the same (encodings aside, which
     * parquet-java lists in no fixed order).
     */
    @ParameterizedTest
    @EnumSource(EventKind.class)
    void writesTheBytesParquetJavasFileWriterWritesFromTheSameChunks(EventKind kind) throws Exception {
        List<GeneratedEvent> first = rows("some user agent", "some user agent", "Mozilla/5.0", null, "some user agent");
        TemplateEventFileWriter writer = TemplateEventFileWriter.create(kind, first, 7);
        Path template = dir.resolve("template.parquet");
        AdformParquetWriter.write(template, kind, first, 7);
        List<List<GeneratedEvent>> files = List.of(
                first,
                rows(LONG_AGENT, LONG_AGENT + " build/9", LONG_AGENT + " build/10", "x", LONG_AGENT), // job chunks grow
                rows(null, null, null, null, null), // and shrink
                rows("a", "a", "a", "a", "a"));
        for (int i = 0; i < files.size(); i++) {
            Path written = dir.resolve("written-" + i + ".parquet");
            writer.write(written, files.get(i));
            Path reference = appendedByParquetJava(template, files.get(i), dir.resolve("reference-" + i + ".parquet"));
            assertThat(Files.readAllBytes(written))
                    .as("file %d", i)
                    .isEqualTo(ParquetFiles.withSortedEncodings(reference));
        }
    }

    /** Statistics of a job column copied from the template would let a reader skip row groups it needs. */
    @Test
    void theJobColumnsStatisticsAndColumnIndexesAreEachFilesOwn() throws Exception {
        TemplateEventFileWriter writer = TemplateEventFileWriter.create(EventKind.IMPRESSION, rows("m", "m", "m"), 3);
        Path file = dir.resolve("file.parquet");
        writer.write(file, rows("b", null, "d"));
        try (ParquetFileReader reader = open(file)) {
            BlockMetaData rowGroup = reader.getFooter().getBlocks().get(0);
            ColumnChunkMetaData agent = chunk(rowGroup, AdformParquetWriter.USER_AGENT);
            Statistics<?> agentStats = agent.getStatistics();
            assertThat(agentStats.genericGetMin()).isEqualTo(Binary.fromString("b"));
            assertThat(agentStats.genericGetMax()).isEqualTo(Binary.fromString("d"));
            assertThat(agentStats.getNumNulls()).isEqualTo(1);
            ColumnIndex agentIndex = reader.readColumnIndex(agent);
            assertThat(agentIndex.getMinValues())
                    .containsExactly(Binary.fromString("b").toByteBuffer());
            assertThat(agentIndex.getMaxValues())
                    .containsExactly(Binary.fromString("d").toByteBuffer());
            Statistics<?> timeStats =
                    chunk(rowGroup, AdformParquetWriter.CREATION_TIME).getStatistics();
            assertThat(timeStats.genericGetMin()).isEqualTo(T);
            assertThat(timeStats.genericGetMax()).isEqualTo(T + 2);
        }
        assertThat(count(
                        file,
                        FilterCompat.get(FilterApi.eq(
                                FilterApi.binaryColumn(AdformParquetWriter.USER_AGENT), Binary.fromString("d")))))
                .isEqualTo(1);
        assertThat(count(
                        file,
                        FilterCompat.get(FilterApi.eq(
                                FilterApi.binaryColumn(AdformParquetWriter.USER_AGENT), Binary.fromString("m")))))
                .isZero();
    }

    @Test
    void writesOnlyFilesOfItsTemplatesRowCount() throws Exception {
        TemplateEventFileWriter writer = TemplateEventFileWriter.create(EventKind.CLICK, rows("a", "b"), 1);
        assertThatThrownBy(() -> writer.write(dir.resolve("f.parquet"), rows("a", "b", "c")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("files of 2 rows, not 3");
        assertThatThrownBy(() -> TemplateEventFileWriter.create(EventKind.CLICK, List.of(), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** One event per agent, creation times T, T + 1, ... */
    private static List<GeneratedEvent> rows(String... agents) {
        List<GeneratedEvent> rows = new ArrayList<>();
        for (int i = 0; i < agents.length; i++) {
            rows.add(new GeneratedEvent(agents[i], T + i));
        }
        return rows;
    }

    private static ParquetFileReader open(Path file) throws Exception {
        return ParquetFileReader.open(
                ParquetFiles.input(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
    }

    private static ColumnChunkMetaData chunk(BlockMetaData rowGroup, String path) {
        return rowGroup.getColumns().stream()
                .filter(c -> c.getPath().toDotString().equals(path))
                .findFirst()
                .orElseThrow();
    }

    private static long count(Path file, FilterCompat.Filter filter) throws Exception {
        long rows = 0;
        try (ParquetReader<Group> reader = new ParquetReader.Builder<Group>(ParquetFiles.input(file)) {
            @Override
            protected ReadSupport<Group> getReadSupport() {
                return new GroupReadSupport();
            }
        }.withFilter(filter).build()) {
            while (reader.read() != null) {
                rows++;
            }
        }
        return rows;
    }

    /**
     * The template's filler chunks and freshly written job column chunks of {@code rows}, appended
     * by parquet-java's {@code ParquetFileWriter} in column order, page indexes and all.
     */
    private Path appendedByParquetJava(Path template, List<GeneratedEvent> rows, Path target) throws Exception {
        Path jobColumns = Files.createTempFile(dir, "job-columns", ".parquet");
        Files.delete(jobColumns);
        try (ParquetFileReader templateReader = open(template);
                SeekableInputStream templateBytes = ParquetFiles.input(template).newStream()) {
            MessageType schema = templateReader.getFooter().getFileMetaData().getSchema();
            writeJobColumns(jobColumns, schema, rows);
            try (ParquetFileReader fresh = open(jobColumns);
                    SeekableInputStream freshBytes =
                            ParquetFiles.input(jobColumns).newStream()) {
                Map<String, ColumnChunkMetaData> freshChunks = new HashMap<>();
                fresh.getFooter()
                        .getBlocks()
                        .get(0)
                        .getColumns()
                        .forEach(c -> freshChunks.put(c.getPath().toDotString(), c));
                ParquetFileWriter out = new ParquetFileWriter(
                        new LocalOutputFile(target),
                        schema,
                        ParquetFileWriter.Mode.CREATE,
                        1L << 40,
                        0,
                        ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH,
                        ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH,
                        false);
                out.start();
                out.startBlock(rows.size());
                for (ColumnDescriptor column : schema.getColumns()) {
                    ColumnChunkMetaData chunk = freshChunks.get(String.join(".", column.getPath()));
                    if (chunk != null) {
                        out.appendColumnChunk(
                                column,
                                freshBytes,
                                chunk,
                                null,
                                fresh.readColumnIndex(chunk),
                                fresh.readOffsetIndex(chunk));
                    } else {
                        chunk = chunk(
                                templateReader.getFooter().getBlocks().get(0), String.join(".", column.getPath()));
                        out.appendColumnChunk(
                                column,
                                templateBytes,
                                chunk,
                                null,
                                templateReader.readColumnIndex(chunk),
                                templateReader.readOffsetIndex(chunk));
                    }
                }
                out.endBlock();
                out.end(templateReader.getFooter().getFileMetaData().getKeyValueMetaData());
            }
        }
        return target;
    }

    private static void writeJobColumns(Path file, MessageType schema, List<GeneratedEvent> rows) throws Exception {
        GroupType header = schema.getType("transaction_header").asGroupType();
        GroupType device = schema.getType("device_settings").asGroupType();
        MessageType jobSchema = new MessageType(
                schema.getName(),
                header.withNewFields(header.getType("creation_time")),
                device.withNewFields(device.getType("user_agent")));
        SimpleGroupFactory groups = new SimpleGroupFactory(jobSchema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(jobSchema)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(1L << 40)
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                .build()) {
            for (GeneratedEvent event : rows) {
                Group row = groups.newGroup();
                row.addGroup("transaction_header").add("creation_time", event.creationTimeMs());
                Group agent = row.addGroup("device_settings");
                if (event.userAgent() != null) {
                    agent.add("user_agent", event.userAgent());
                }
                writer.write(row);
            }
        }
    }
}
