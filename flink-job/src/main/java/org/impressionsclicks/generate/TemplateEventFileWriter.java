package org.impressionsclicks.generate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.parquet.Version;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.OffsetIndex;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.internal.column.columnindex.OffsetIndexBuilder;
import org.apache.parquet.internal.hadoop.metadata.IndexReference;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.impressionsclicks.model.EventKind;

/**
 * Writes full-schema event files of one kind and row count fast, for datasets of many files.
 * Filling ~545 columns row by row ({@link AdformParquetWriter}) runs at a few thousand rows a
 * second; here the filler columns are written that way once, into a template, and every file copies
 * those column chunks byte for byte next to freshly written chunks of the two columns the job reads
 * ({@value AdformParquetWriter#CREATION_TIME}, {@value AdformParquetWriter#USER_AGENT}). The files
 * have the upstream schema and one row group; only the two job columns differ between files (the
 * fillers repeat, which no reader of the two columns can tell).
 *
 * <p>Assembling a file with parquet-java's {@code ParquetFileWriter.appendColumnChunk} and
 * {@code end} re-reads and converts the page indexes and metadata of all ~545 chunks and serializes
 * a ~78 KB footer from scratch, per file. As only the job columns change, this writer converts the
 * template's metadata once, the way those two methods do, into a Thrift footer and page indexes; per
 * file it converts the two job chunks' own metadata (statistics included) the same way, moves the
 * positions of the filler chunks behind them and serializes. The bytes are the ones
 * {@code ParquetFileWriter} writes from the same chunks ({@code TemplateEventFileWriterTest}).
 *
 * <p>Thread-safe: each writing thread patches its own copy of the footer.
 */
public final class TemplateEventFileWriter {

    private static final long ONE_ROW_GROUP = 1L << 40;
    private static final byte[] MAGIC = ParquetFileWriter.MAGIC;
    private static final int JOB_COLUMNS = 2;

    private final int rows;
    private final MessageType jobSchema;
    /** The template file, where the filler chunks are copied from. */
    private final byte[] template;
    private final Column[] columns;
    /** The footer with every chunk at its template position; only copied, never changed. */
    private final org.apache.parquet.format.FileMetaData footer;
    private final ThreadLocal<Assembly> assemblies;

    private TemplateEventFileWriter(ParquetBytes template) throws IOException {
        MessageType schema = template.footer().getFileMetaData().getSchema();
        BlockMetaData rowGroup = template.rowGroup();
        this.rows = Math.toIntExact(rowGroup.getRowCount());
        this.jobSchema = jobColumns(schema);
        this.template = template.bytes();
        List<ColumnChunkMetaData> chunks = rowGroup.getColumns();
        this.columns = new Column[chunks.size()];
        BlockMetaData appended = new BlockMetaData();
        int jobColumns = 0;
        for (int i = 0; i < chunks.size(); i++) {
            ColumnChunkMetaData chunk = chunks.get(i);
            if (chunk.getBloomFilterOffset() >= 0) {
                throw new IllegalStateException(chunk.getPath() + " has a bloom filter, which this writer cannot move");
            }
            String path = chunk.getPath().toDotString();
            ColumnChunkMetaData copy = appended(chunk, chunk.getStartingPos());
            appended.addColumn(copy);
            if (path.equals(AdformParquetWriter.CREATION_TIME) || path.equals(AdformParquetWriter.USER_AGENT)) {
                columns[i] = new Column(path, jobColumns++, chunk.getStartingPos(), 0, null, null);
                continue;
            }
            byte[] columnIndex = serializedColumnIndex(chunk, template.columnIndex(chunk));
            org.apache.parquet.internal.column.columnindex.OffsetIndex offsetIndex = template.offsetIndex(chunk);
            // placeholders, so that the converted chunk has these fields; each file sets its own
            if (columnIndex != null) {
                copy.setColumnIndexReference(new IndexReference(0, columnIndex.length));
            }
            if (offsetIndex != null) {
                copy.setOffsetIndexReference(new IndexReference(0, 0));
            }
            columns[i] = new Column(path, -1, chunk.getStartingPos(), Math.toIntExact(chunk.getTotalSize()), columnIndex,
                    offsetIndex == null ? null : ParquetMetadataConverter.toParquetOffsetIndex(offsetIndex));
        }
        if (jobColumns != JOB_COLUMNS) {
            throw new IllegalStateException("the template has " + jobColumns + " of the " + JOB_COLUMNS + " job columns");
        }
        appended.setRowCount(rowGroup.getRowCount());
        appended.setTotalByteSize(rowGroup.getTotalByteSize());
        this.footer = new ParquetMetadataConverter(ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH).toParquetMetadata(
                ParquetFileWriter.CURRENT_VERSION,
                new ParquetMetadata(new FileMetaData(schema, template.footer().getFileMetaData().getKeyValueMetaData(), Version.FULL_VERSION),
                        List.of(appended)));
        footer.getRow_groups().get(0).getColumns().forEach(TemplateEventFileWriter::sortEncodings);
        this.assemblies = ThreadLocal.withInitial(() -> new Assembly(footer, columns, this.template.length));
    }

    /**
     * Writes the template for files of {@code rows.size()} rows of {@code kind}; its filler values
     * are drawn from {@code seed} (and the rows' creation times), as {@link AdformParquetWriter} does.
     */
    public static TemplateEventFileWriter create(EventKind kind, List<GeneratedEvent> rows, long seed) throws IOException {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a template needs at least one row");
        }
        MemoryOutputFile file = new MemoryOutputFile();
        AdformParquetWriter.write(file, kind, rows, seed);
        return new TemplateEventFileWriter(new ParquetBytes(file.toByteArray()));
    }

    /** Writes {@code rows} (as many as the template has) to the new file {@code file}. */
    public void write(Path file, List<GeneratedEvent> rows) throws IOException {
        if (rows.size() != this.rows) {
            throw new IllegalArgumentException("this writer writes files of " + this.rows + " rows, not " + rows.size());
        }
        Assembly a = assemblies.get();
        ParquetBytes fresh = writeJobColumns(rows, a.codecs);
        Map<String, ColumnChunkMetaData> freshChunks = new HashMap<>();
        fresh.rowGroup().getColumns().forEach(c -> freshChunks.put(c.getPath().toDotString(), c));
        FileBuffer out = a.out;
        out.reset();
        out.write(MAGIC);
        JobChunk[] jobChunks = new JobChunk[JOB_COLUMNS];
        for (int i = 0; i < columns.length; i++) {
            Column column = columns[i];
            a.starts[i] = out.size();
            if (column.job >= 0) {
                ColumnChunkMetaData chunk = freshChunks.get(column.path);
                out.write(fresh.bytes(), Math.toIntExact(chunk.getStartingPos()), Math.toIntExact(chunk.getTotalSize()));
                jobChunks[column.job] = new JobChunk(appended(chunk, a.starts[i]),
                        ParquetMetadataConverter.toParquetColumnIndex(chunk.getPrimitiveType(), fresh.columnIndex(chunk)),
                        movedOffsetIndex(fresh.offsetIndex(chunk), a.starts[i] - chunk.getStartingPos()));
            } else {
                out.write(template, Math.toIntExact(column.start), column.length);
            }
        }
        // the column indexes, then the offset indexes, in column order, as ParquetFileWriter.end writes them
        for (int i = 0; i < columns.length; i++) {
            Column column = columns[i];
            a.columnIndexOffsets[i] = out.size();
            if (column.job >= 0) {
                if (jobChunks[column.job].columnIndex != null) {
                    Util.writeColumnIndex(jobChunks[column.job].columnIndex, out);
                }
            } else if (column.columnIndex != null) {
                out.write(column.columnIndex);
            }
            a.columnIndexLengths[i] = (int) (out.size() - a.columnIndexOffsets[i]);
        }
        for (int i = 0; i < columns.length; i++) {
            Column column = columns[i];
            a.offsetIndexOffsets[i] = out.size();
            OffsetIndex index = column.job >= 0 ? jobChunks[column.job].offsetIndex : a.movedOffsetIndex(i, a.starts[i] - column.start);
            if (index != null) {
                Util.writeOffsetIndex(index, out);
            }
            a.offsetIndexLengths[i] = (int) (out.size() - a.offsetIndexOffsets[i]);
        }
        List<ColumnChunk> jobFooter = jobFooterEntries(a, jobChunks);
        RowGroup original = footer.getRow_groups().get(0);
        RowGroup rowGroup = a.footer.getRow_groups().get(0);
        long uncompressed = 0;
        long compressed = 0;
        for (int i = 0; i < columns.length; i++) {
            Column column = columns[i];
            ColumnChunk chunk;
            if (column.job >= 0) {
                chunk = jobFooter.get(column.job);
                rowGroup.getColumns().set(i, chunk);
            } else {
                chunk = rowGroup.getColumns().get(i);
                move(original.getColumns().get(i), chunk, a.starts[i] - column.start);
                if (chunk.isSetColumn_index_offset()) {
                    chunk.setColumn_index_offset(a.columnIndexOffsets[i]).setColumn_index_length(a.columnIndexLengths[i]);
                }
                if (chunk.isSetOffset_index_offset()) {
                    chunk.setOffset_index_offset(a.offsetIndexOffsets[i]).setOffset_index_length(a.offsetIndexLengths[i]);
                }
            }
            uncompressed += chunk.getMeta_data().getTotal_uncompressed_size();
            compressed += chunk.getMeta_data().getTotal_compressed_size();
        }
        rowGroup.setFile_offset(original.getFile_offset() + a.starts[0] - columns[0].start);
        rowGroup.setTotal_byte_size(uncompressed);
        rowGroup.setTotal_compressed_size(compressed);
        long footerStart = out.size();
        Util.writeFileMetaData(a.footer, out);
        BytesUtils.writeIntLittleEndian(out, (int) (out.size() - footerStart));
        out.write(MAGIC);
        try (OutputStream stream = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.writeTo(stream);
        }
    }

    /**
     * The job chunks' footer entries, converted by the same converter call as the fillers' (and
     * {@code ParquetFileWriter.end}'s), with their own statistics and their page indexes' places.
     */
    private List<ColumnChunk> jobFooterEntries(Assembly a, JobChunk[] jobChunks) {
        BlockMetaData block = new BlockMetaData();
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].job >= 0) {
                JobChunk job = jobChunks[columns[i].job];
                if (job.columnIndex != null) {
                    job.metadata.setColumnIndexReference(new IndexReference(a.columnIndexOffsets[i], a.columnIndexLengths[i]));
                }
                if (job.offsetIndex != null) {
                    job.metadata.setOffsetIndexReference(new IndexReference(a.offsetIndexOffsets[i], a.offsetIndexLengths[i]));
                }
                block.addColumn(job.metadata);
            }
        }
        block.setRowCount(rows);
        List<ColumnChunk> converted = a.converter.toParquetMetadata(ParquetFileWriter.CURRENT_VERSION,
                        new ParquetMetadata(new FileMetaData(jobSchema, Map.of(), Version.FULL_VERSION), List.of(block)))
                .getRow_groups().get(0).getColumns();
        converted.forEach(TemplateEventFileWriter::sortEncodings);
        return converted;
    }

    /**
     * Lists the chunk's encodings in the format's numbering. parquet-java lists them in the order
     * of a {@code HashSet} of enum constants, which follows their identity hash codes and so changes
     * with JVM flags, the class path and the threads: sorted, a seed gives the same bytes anywhere.
     */
    private static void sortEncodings(ColumnChunk chunk) {
        chunk.getMeta_data().getEncodings().sort(Comparator.comparingInt(Encoding::getValue));
    }

    /**
     * The metadata {@code ParquetFileWriter.appendColumnChunk} records for {@code chunk} copied to
     * {@code start} (its {@code Offsets}: a dictionary page first, at the start, then the data pages).
     */
    private static ColumnChunkMetaData appended(ColumnChunkMetaData chunk, long start) {
        long firstDataPage = start;
        long dictionaryPage = 0;
        if (chunk.hasDictionaryPage()) {
            if (chunk.getDictionaryPageOffset() == 0 || chunk.getFirstDataPageOffset() <= chunk.getDictionaryPageOffset()) {
                // parquet-java would read the dictionary page header; its own writer never leaves this
                throw new IllegalStateException(chunk.getPath() + " has a dictionary page but no offset of it");
            }
            firstDataPage = start + chunk.getFirstDataPageOffset() - chunk.getDictionaryPageOffset();
            dictionaryPage = start;
        }
        return ColumnChunkMetaData.get(chunk.getPath(), chunk.getPrimitiveType(), chunk.getCodec(), chunk.getEncodingStats(),
                chunk.getEncodings(), chunk.getStatistics(), firstDataPage, dictionaryPage, chunk.getValueCount(), chunk.getTotalSize(),
                chunk.getTotalUncompressedSize());
    }

    /** The offset index {@code ParquetFileWriter} writes for a chunk moved by {@code shift} bytes. */
    @Nullable
    private static OffsetIndex movedOffsetIndex(@Nullable org.apache.parquet.internal.column.columnindex.OffsetIndex index, long shift) {
        if (index == null) {
            return null;
        }
        org.apache.parquet.internal.column.columnindex.OffsetIndex moved =
                shift == 0 ? index : OffsetIndexBuilder.getBuilder().fromOffsetIndex(index).build(shift);
        return moved == null ? null : ParquetMetadataConverter.toParquetOffsetIndex(moved);
    }

    @Nullable
    private static byte[] serializedColumnIndex(ColumnChunkMetaData chunk,
            @Nullable org.apache.parquet.internal.column.columnindex.ColumnIndex index) throws IOException {
        org.apache.parquet.format.ColumnIndex converted = ParquetMetadataConverter.toParquetColumnIndex(chunk.getPrimitiveType(), index);
        if (converted == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Util.writeColumnIndex(converted, bytes);
        return bytes.toByteArray();
    }

    /**
     * Sets the positions in {@code target} to those in {@code source} moved by {@code shift}. A
     * zero {@code file_offset} is no position (the magic bytes come first): parquet-java writes 0.
     */
    private static void move(ColumnChunk source, ColumnChunk target, long shift) {
        if (source.getFile_offset() != 0) {
            target.setFile_offset(source.getFile_offset() + shift);
        }
        ColumnMetaData from = source.getMeta_data();
        ColumnMetaData to = target.getMeta_data();
        to.setData_page_offset(from.getData_page_offset() + shift);
        if (from.isSetDictionary_page_offset()) {
            to.setDictionary_page_offset(from.getDictionary_page_offset() + shift);
        }
        if (from.isSetIndex_page_offset()) {
            to.setIndex_page_offset(from.getIndex_page_offset() + shift);
        }
    }

    /** The rows' two job columns as a Parquet file of their own, written by parquet-java. */
    private ParquetBytes writeJobColumns(List<GeneratedEvent> rows, CompressionCodecFactory codecs) throws IOException {
        MemoryOutputFile file = new MemoryOutputFile();
        SimpleGroupFactory groups = new SimpleGroupFactory(jobSchema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(file)
                .withConf(new PlainParquetConfiguration())
                .withType(jobSchema)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withCodecFactory(codecs)
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
        return new ParquetBytes(file.toByteArray());
    }

    /** The upstream schema pruned to the two columns the job reads, with their levels unchanged. */
    private static MessageType jobColumns(MessageType schema) {
        GroupType header = schema.getType("transaction_header").asGroupType();
        GroupType device = schema.getType("device_settings").asGroupType();
        return new MessageType(schema.getName(),
                header.withNewFields(header.getType("creation_time")),
                device.withNewFields(device.getType("user_agent")));
    }

    /**
     * A template chunk: where it is and, for a filler, its length, its converted column index (the
     * same bytes in every file) and offset index (at the template position).
     *
     * @param job the job column's number (0 or 1, in column order), or -1 for a filler
     */
    private record Column(String path, int job, long start, int length, @Nullable byte[] columnIndex, @Nullable OffsetIndex offsetIndex) {}

    /** A file's job chunk, as {@code appendColumnChunk} records it at its place in the file, and its page indexes there. */
    private record JobChunk(ColumnChunkMetaData metadata, @Nullable org.apache.parquet.format.ColumnIndex columnIndex,
            @Nullable OffsetIndex offsetIndex) {}

    /** One thread's working copies: the footer and offset indexes it patches per file, its buffer and codecs. */
    private static final class Assembly {
        final org.apache.parquet.format.FileMetaData footer;
        final Column[] columns;
        final OffsetIndex[] offsetIndexes;
        final FileBuffer out;
        final ParquetMetadataConverter converter = new ParquetMetadataConverter(ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH);
        final KeptCodecFactory codecs = new KeptCodecFactory();
        final long[] starts;
        final long[] columnIndexOffsets;
        final int[] columnIndexLengths;
        final long[] offsetIndexOffsets;
        final int[] offsetIndexLengths;

        Assembly(org.apache.parquet.format.FileMetaData footer, Column[] columns, int templateSize) {
            this.footer = footer.deepCopy();
            this.columns = columns;
            this.offsetIndexes = new OffsetIndex[columns.length];
            for (int i = 0; i < columns.length; i++) {
                offsetIndexes[i] = columns[i].offsetIndex == null ? null : columns[i].offsetIndex.deepCopy();
            }
            this.out = new FileBuffer(templateSize + templateSize / 4);
            this.starts = new long[columns.length];
            this.columnIndexOffsets = new long[columns.length];
            this.columnIndexLengths = new int[columns.length];
            this.offsetIndexOffsets = new long[columns.length];
            this.offsetIndexLengths = new int[columns.length];
        }

        /** Filler {@code i}'s offset index with its pages moved by {@code shift} from the template. */
        @Nullable
        OffsetIndex movedOffsetIndex(int i, long shift) {
            OffsetIndex original = columns[i].offsetIndex;
            if (original == null) {
                return null;
            }
            OffsetIndex moved = offsetIndexes[i];
            for (int p = 0; p < original.getPage_locations().size(); p++) {
                moved.getPage_locations().get(p).setOffset(original.getPage_locations().get(p).getOffset() + shift);
            }
            return moved;
        }
    }

}
