package org.impressionsclicks.generate;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.source.FlinkInputFile;

/**
 * Writes full-schema event files fast, for datasets of millions of events. Filling ~545 columns row
 * by row ({@link AdformParquetWriter}) runs at a few thousand rows a second; here each kind's filler
 * columns are written that way once, into a template file of {@code rowsPerFile} rows, and every
 * file copies those column chunks byte for byte next to freshly written chunks of the two columns
 * the job reads. The files have the upstream schema and one row group; only the two job columns
 * differ between files (the fillers repeat, which no reader of the two columns can tell).
 *
 * <p>Not thread-safe; one instance per writing thread.
 */
public final class TemplateEventFileWriter implements Closeable {

    private static final long ONE_ROW_GROUP = 1L << 40;

    private final Path scratch;
    private final int rowsPerFile;
    private final Map<EventKind, Template> templates = new EnumMap<>(EventKind.class);

    /**
     * @param scratch a folder for the templates and the per-file column chunks (not the watched one)
     * @param rowsPerFile the row count of every file this writer writes
     */
    public TemplateEventFileWriter(Path scratch, int rowsPerFile) throws IOException {
        this.scratch = Files.createDirectories(scratch);
        this.rowsPerFile = rowsPerFile;
    }

    /** Writes {@code rows} (exactly {@code rowsPerFile} of them) to {@code file} in {@code kind}'s schema. */
    public void write(Path file, EventKind kind, List<GeneratedEvent> rows, long seed) throws IOException {
        if (rows.size() != rowsPerFile) {
            throw new IllegalArgumentException("this writer writes files of " + rowsPerFile + " rows, not " + rows.size());
        }
        Template template = templates.get(kind);
        if (template == null) {
            Path templateFile = scratch.resolve("template-" + kind.prefix() + "-" + rowsPerFile + ".parquet");
            Files.deleteIfExists(templateFile);
            AdformParquetWriter.write(templateFile, kind, rows, seed);
            template = new Template(templateFile);
            templates.put(kind, template);
        }
        Path jobColumns = scratch.resolve("job-columns.parquet");
        Files.deleteIfExists(jobColumns);
        writeJobColumns(jobColumns, template.jobColumnsSchema, rows);
        try (ParquetFileReader fresh = ParquetFileReader.open(FlinkInputFile.of(jobColumns));
                SeekableInputStream freshBytes = FlinkInputFile.of(jobColumns).newStream()) {
            BlockMetaData freshBlock = single(fresh.getFooter().getBlocks(), jobColumns);
            Map<String, ColumnChunkMetaData> freshChunks = byPath(freshBlock);
            ParquetFileWriter out = new ParquetFileWriter(new LocalOutputFile(file), template.schema, ParquetFileWriter.Mode.CREATE,
                    ONE_ROW_GROUP, 0, ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH,
                    ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH, false);
            out.start();
            out.startBlock(rowsPerFile);
            for (ColumnDescriptor column : template.schema.getColumns()) {
                String path = String.join(".", column.getPath());
                ColumnChunkMetaData chunk = freshChunks.get(path);
                if (chunk != null) {
                    out.appendColumnChunk(column, freshBytes, chunk, null, fresh.readColumnIndex(chunk), fresh.readOffsetIndex(chunk));
                } else {
                    chunk = template.chunks.get(path);
                    out.appendColumnChunk(column, template.bytes, chunk, null,
                            template.reader.readColumnIndex(chunk), template.reader.readOffsetIndex(chunk));
                }
            }
            out.endBlock();
            out.end(template.reader.getFooter().getFileMetaData().getKeyValueMetaData());
        }
    }

    private static void writeJobColumns(Path file, MessageType schema, List<GeneratedEvent> rows) throws IOException {
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(ONE_ROW_GROUP)
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                .build()) {
            for (GeneratedEvent event : rows) {
                Group row = groups.newGroup();
                row.addGroup("transaction_header").add("creation_time", event.creationTimeMs());
                Group device = row.addGroup("device_settings");
                if (event.userAgent() != null) {
                    device.add("user_agent", event.userAgent());
                }
                writer.write(row);
            }
        }
    }

    private static BlockMetaData single(List<BlockMetaData> blocks, Path file) {
        if (blocks.size() != 1) {
            throw new IllegalStateException(file + " has " + blocks.size() + " row groups, expected one");
        }
        return blocks.get(0);
    }

    private static Map<String, ColumnChunkMetaData> byPath(BlockMetaData block) {
        Map<String, ColumnChunkMetaData> chunks = new HashMap<>();
        for (ColumnChunkMetaData chunk : block.getColumns()) {
            chunks.put(chunk.getPath().toDotString(), chunk);
        }
        return chunks;
    }

    @Override
    public void close() throws IOException {
        for (Template template : templates.values()) {
            template.close();
        }
        templates.clear();
        Files.deleteIfExists(scratch.resolve("job-columns.parquet"));
    }

    /** A kind's template file, open for copying its filler chunks. */
    private static final class Template implements Closeable {
        final Path file;
        final ParquetFileReader reader;
        final SeekableInputStream bytes;
        final MessageType schema;
        final MessageType jobColumnsSchema;
        final Map<String, ColumnChunkMetaData> chunks;

        Template(Path file) throws IOException {
            this.file = file;
            this.reader = ParquetFileReader.open(FlinkInputFile.of(file));
            this.bytes = FlinkInputFile.of(file).newStream();
            this.schema = reader.getFooter().getFileMetaData().getSchema();
            this.chunks = byPath(single(reader.getFooter().getBlocks(), file));
            this.jobColumnsSchema = jobColumns(schema);
        }

        /** The upstream schema pruned to the two columns the job reads, with their levels unchanged. */
        private static MessageType jobColumns(MessageType schema) {
            GroupType header = schema.getType("transaction_header").asGroupType();
            GroupType device = schema.getType("device_settings").asGroupType();
            return new MessageType(schema.getName(),
                    header.withNewFields(header.getType("creation_time")),
                    device.withNewFields(device.getType("user_agent")));
        }

        @Override
        public void close() throws IOException {
            bytes.close();
            reader.close();
            Files.deleteIfExists(file);
        }
    }
}
