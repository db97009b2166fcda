package org.impressionsclicks.generate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.apache.parquet.format.PageLocation;
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
import shaded.parquet.org.apache.thrift.TException;
import shaded.parquet.org.apache.thrift.protocol.TCompactProtocol;
import shaded.parquet.org.apache.thrift.transport.TIOStreamTransport;

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
 * template's metadata once, the way those two methods do, into a Thrift footer and page indexes,
 * kept as {@link ThriftTemplate}s whose only holes are the filler chunks' positions (which move
 * with the job chunks' sizes), the row group's sizes and the two job chunks' footer entries. Per
 * file it converts the job chunks' own metadata (statistics included) the same way and fills the
 * holes. The bytes are the ones {@code ParquetFileWriter} writes from the same chunks
 * ({@code TemplateEventFileWriterTest}).
 *
 * <p>Thread-safe: the templates are only read; each writing thread has its own buffer.
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
    private final ThriftTemplate footer;
    /** What the footer's holes hold, by number. */
    private final FooterField[] footerFields;
    /** The filler chunks' sizes, which with the job chunks' make the row group's. */
    private final long fillersUncompressed;

    private final long fillersCompressed;
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
        long uncompressed = 0;
        long compressed = 0;
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
            columns[i] = new Column(
                    path,
                    -1,
                    chunk.getStartingPos(),
                    Math.toIntExact(chunk.getTotalSize()),
                    columnIndex,
                    offsetIndex == null
                            ? null
                            : OffsetIndexTemplate.of(
                                    ParquetMetadataConverter.toParquetOffsetIndex(offsetIndex),
                                    chunk.getStartingPos()));
            uncompressed += chunk.getTotalUncompressedSize();
            compressed += chunk.getTotalSize();
        }
        if (jobColumns != JOB_COLUMNS) {
            throw new IllegalStateException(
                    "the template has " + jobColumns + " of the " + JOB_COLUMNS + " job columns");
        }
        this.fillersUncompressed = uncompressed;
        this.fillersCompressed = compressed;
        appended.setRowCount(rowGroup.getRowCount());
        appended.setTotalByteSize(rowGroup.getTotalByteSize());
        org.apache.parquet.format.FileMetaData converted = new ParquetMetadataConverter(
                        ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH)
                .toParquetMetadata(
                        ParquetFileWriter.CURRENT_VERSION,
                        new ParquetMetadata(
                                new FileMetaData(
                                        schema,
                                        template.footer().getFileMetaData().getKeyValueMetaData(),
                                        Version.FULL_VERSION),
                                List.of(appended)));
        converted.getRow_groups().get(0).getColumns().forEach(TemplateEventFileWriter::sortEncodings);
        List<byte[]> jobEntries = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].job >= 0) {
                jobEntries.add(
                        serialized(converted.getRow_groups().get(0).getColumns().get(i)));
            }
        }
        List<FooterField> fields = new ArrayList<>();
        marked(converted, 0, fields);
        this.footerFields = fields.toArray(new FooterField[0]);
        this.footer = ThriftTemplate.of(
                base -> serialized(marked(converted, base, new ArrayList<>())), footerFields.length, jobEntries);
        verify(converted, jobEntries);
        int pages = 0;
        for (Column column : columns) {
            pages = Math.max(pages, column.offsetIndex == null ? 0 : column.offsetIndex.pages.length);
        }
        int maxPages = pages;
        this.assemblies = ThreadLocal.withInitial(
                () -> new Assembly(columns.length, footerFields.length, maxPages, this.template.length));
    }

    /**
     * Writes the template for files of {@code rows.size()} rows of {@code kind}; its filler values
     * are drawn from {@code seed} (and the rows' creation times), as {@link AdformParquetWriter} does.
     */
    public static TemplateEventFileWriter create(EventKind kind, List<GeneratedEvent> rows, long seed)
            throws IOException {
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
            throw new IllegalArgumentException(
                    "this writer writes files of " + this.rows + " rows, not " + rows.size());
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
                out.write(
                        fresh.bytes(), Math.toIntExact(chunk.getStartingPos()), Math.toIntExact(chunk.getTotalSize()));
                jobChunks[column.job] = new JobChunk(
                        appended(chunk, a.starts[i]),
                        ParquetMetadataConverter.toParquetColumnIndex(
                                chunk.getPrimitiveType(), fresh.columnIndex(chunk)),
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
            if (column.job >= 0) {
                if (jobChunks[column.job].offsetIndex != null) {
                    Util.writeOffsetIndex(jobChunks[column.job].offsetIndex, out);
                }
            } else if (column.offsetIndex != null) {
                column.offsetIndex.write(out, a.starts[i], a.pageOffsets);
            }
            a.offsetIndexLengths[i] = (int) (out.size() - a.offsetIndexOffsets[i]);
        }
        List<ColumnChunk> jobEntries = jobFooterEntries(a, jobChunks);
        long uncompressed = fillersUncompressed;
        long compressed = fillersCompressed;
        for (ColumnChunk entry : jobEntries) {
            uncompressed += entry.getMeta_data().getTotal_uncompressed_size();
            compressed += entry.getMeta_data().getTotal_compressed_size();
        }
        for (int f = 0; f < footerFields.length; f++) {
            a.footerValues[f] = footerFields[f].value(a, uncompressed, compressed);
        }
        long footerStart = out.size();
        footer.write(out, a.footerValues, (job, stream) -> writeThrift(jobEntries.get(job), stream));
        BytesUtils.writeIntLittleEndian(out, (int) (out.size() - footerStart));
        out.write(MAGIC);
        try (OutputStream stream =
                Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
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
                    job.metadata.setColumnIndexReference(
                            new IndexReference(a.columnIndexOffsets[i], a.columnIndexLengths[i]));
                }
                if (job.offsetIndex != null) {
                    job.metadata.setOffsetIndexReference(
                            new IndexReference(a.offsetIndexOffsets[i], a.offsetIndexLengths[i]));
                }
                block.addColumn(job.metadata);
            }
        }
        block.setRowCount(rows);
        List<ColumnChunk> converted = a.converter
                .toParquetMetadata(
                        ParquetFileWriter.CURRENT_VERSION,
                        new ParquetMetadata(
                                new FileMetaData(jobSchema, Map.of(), Version.FULL_VERSION), List.of(block)))
                .getRow_groups()
                .get(0)
                .getColumns();
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
            if (chunk.getDictionaryPageOffset() == 0
                    || chunk.getFirstDataPageOffset() <= chunk.getDictionaryPageOffset()) {
                // parquet-java would read the dictionary page header; its own writer never leaves this
                throw new IllegalStateException(chunk.getPath() + " has a dictionary page but no offset of it");
            }
            firstDataPage = start + chunk.getFirstDataPageOffset() - chunk.getDictionaryPageOffset();
            dictionaryPage = start;
        }
        return ColumnChunkMetaData.get(
                chunk.getPath(),
                chunk.getPrimitiveType(),
                chunk.getCodec(),
                chunk.getEncodingStats(),
                chunk.getEncodings(),
                chunk.getStatistics(),
                firstDataPage,
                dictionaryPage,
                chunk.getValueCount(),
                chunk.getTotalSize(),
                chunk.getTotalUncompressedSize());
    }

    /** The offset index {@code ParquetFileWriter} writes for a chunk moved by {@code shift} bytes. */
    @Nullable
    private static OffsetIndex movedOffsetIndex(
            @Nullable org.apache.parquet.internal.column.columnindex.OffsetIndex index, long shift) {
        if (index == null) {
            return null;
        }
        org.apache.parquet.internal.column.columnindex.OffsetIndex moved = shift == 0
                ? index
                : OffsetIndexBuilder.getBuilder().fromOffsetIndex(index).build(shift);
        return moved == null ? null : ParquetMetadataConverter.toParquetOffsetIndex(moved);
    }

    @Nullable
    private static byte[] serializedColumnIndex(
            ColumnChunkMetaData chunk, @Nullable org.apache.parquet.internal.column.columnindex.ColumnIndex index)
            throws IOException {
        org.apache.parquet.format.ColumnIndex converted =
                ParquetMetadataConverter.toParquetColumnIndex(chunk.getPrimitiveType(), index);
        if (converted == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Util.writeColumnIndex(converted, bytes);
        return bytes.toByteArray();
    }

    /**
     * A copy of the converted footer with marker {@code base + n} in its n-th hole, and in
     * {@code fields} what each hole holds: the filler chunks' positions (a zero {@code file_offset}
     * is none, the magic bytes come first: parquet-java writes 0), the places of their page indexes,
     * and the row group's place and sizes.
     */
    private org.apache.parquet.format.FileMetaData marked(
            org.apache.parquet.format.FileMetaData converted, long base, List<FooterField> fields) {
        org.apache.parquet.format.FileMetaData copy = converted.deepCopy();
        RowGroup rowGroup = copy.getRow_groups().get(0);
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].job >= 0) {
                continue;
            }
            ColumnChunk chunk = rowGroup.getColumns().get(i);
            ColumnMetaData meta = chunk.getMeta_data();
            long start = columns[i].start;
            if (chunk.getFile_offset() != 0) {
                chunk.setFile_offset(
                        mark(base, fields, new FooterField(Hole.POSITION, i, chunk.getFile_offset() - start)));
            }
            meta.setData_page_offset(
                    mark(base, fields, new FooterField(Hole.POSITION, i, meta.getData_page_offset() - start)));
            if (meta.isSetDictionary_page_offset()) {
                meta.setDictionary_page_offset(mark(
                        base, fields, new FooterField(Hole.POSITION, i, meta.getDictionary_page_offset() - start)));
            }
            if (meta.isSetIndex_page_offset()) {
                meta.setIndex_page_offset(
                        mark(base, fields, new FooterField(Hole.POSITION, i, meta.getIndex_page_offset() - start)));
            }
            if (chunk.isSetColumn_index_offset()) {
                chunk.setColumn_index_offset(mark(base, fields, new FooterField(Hole.COLUMN_INDEX_OFFSET, i, 0)));
            }
            if (chunk.isSetOffset_index_offset()) {
                chunk.setOffset_index_offset(mark(base, fields, new FooterField(Hole.OFFSET_INDEX_OFFSET, i, 0)));
                chunk.setOffset_index_length((int) mark(base, fields, new FooterField(Hole.OFFSET_INDEX_LENGTH, i, 0)));
            }
        }
        rowGroup.setFile_offset(
                mark(base, fields, new FooterField(Hole.POSITION, 0, rowGroup.getFile_offset() - columns[0].start)));
        rowGroup.setTotal_byte_size(mark(base, fields, new FooterField(Hole.UNCOMPRESSED_SIZE, 0, 0)));
        rowGroup.setTotal_compressed_size(mark(base, fields, new FooterField(Hole.COMPRESSED_SIZE, 0, 0)));
        return copy;
    }

    private static long mark(long base, List<FooterField> fields, FooterField field) {
        fields.add(field);
        return base + fields.size() - 1;
    }

    /** Checks that the footer template, filled as the template has it, is the converted footer's bytes. */
    private void verify(org.apache.parquet.format.FileMetaData converted, List<byte[]> jobEntries) throws IOException {
        Assembly a = new Assembly(columns.length, footerFields.length, 0, 0);
        for (int i = 0; i < columns.length; i++) {
            a.starts[i] = columns[i].start;
        }
        // the placeholders: column indexes at 0, offset indexes at 0 of length 0
        for (int f = 0; f < footerFields.length; f++) {
            a.footerValues[f] = footerFields[f].value(
                    a,
                    converted.getRow_groups().get(0).getTotal_byte_size(),
                    converted.getRow_groups().get(0).getTotal_compressed_size());
        }
        FileBuffer filled = new FileBuffer(template.length);
        footer.write(filled, a.footerValues, (job, out) -> out.write(jobEntries.get(job)));
        byte[] expected = serialized(converted);
        byte[] actual = filled.toByteArray();
        if (!Arrays.equals(actual, expected)) {
            throw new IllegalStateException("the footer template does not give the converted footer");
        }
    }

    private static byte[] serialized(org.apache.parquet.format.FileMetaData footer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Util.writeFileMetaData(footer, bytes);
        return bytes.toByteArray();
    }

    private static byte[] serialized(ColumnChunk chunk) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writeThrift(chunk, bytes);
        return bytes.toByteArray();
    }

    /**
     * Writes a footer entry as {@code Util.writeFileMetaData} writes it inside the footer (a
     * struct's compact-protocol bytes do not depend on where it stands); {@code Util} has no method
     * for a lone entry.
     */
    private static void writeThrift(ColumnChunk chunk, OutputStream out) throws IOException {
        try {
            chunk.write(new TCompactProtocol(new TIOStreamTransport(out)));
        } catch (TException e) {
            throw new IOException(
                    "cannot serialize the footer entry of "
                            + chunk.getMeta_data().getPath_in_schema(),
                    e);
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
        return new MessageType(
                schema.getName(),
                header.withNewFields(header.getType("creation_time")),
                device.withNewFields(device.getType("user_agent")));
    }

    /**
     * A template chunk: where it is and, for a filler, its length, its converted column index (the
     * same bytes in every file) and offset index.
     *
     * @param job the job column's number (0 or 1, in column order), or -1 for a filler
     */
    private record Column(
            String path,
            int job,
            long start,
            int length,
            @Nullable byte[] columnIndex,
            @Nullable OffsetIndexTemplate offsetIndex) {}

    /** A file's job chunk, as {@code appendColumnChunk} records it at its place in the file, and its page indexes there. */
    private record JobChunk(
            ColumnChunkMetaData metadata,
            @Nullable org.apache.parquet.format.ColumnIndex columnIndex,
            @Nullable OffsetIndex offsetIndex) {}

    /** What a hole in the footer holds. */
    private enum Hole {
        POSITION,
        COLUMN_INDEX_OFFSET,
        OFFSET_INDEX_OFFSET,
        OFFSET_INDEX_LENGTH,
        UNCOMPRESSED_SIZE,
        COMPRESSED_SIZE
    }

    /** A hole in the footer: of {@code column}, a position {@code relative} bytes after its start, or a place or size. */
    private record FooterField(Hole hole, int column, long relative) {
        long value(Assembly a, long uncompressed, long compressed) {
            return switch (hole) {
                case POSITION -> a.starts[column] + relative;
                case COLUMN_INDEX_OFFSET -> a.columnIndexOffsets[column];
                case OFFSET_INDEX_OFFSET -> a.offsetIndexOffsets[column];
                case OFFSET_INDEX_LENGTH -> a.offsetIndexLengths[column];
                case UNCOMPRESSED_SIZE -> uncompressed;
                case COMPRESSED_SIZE -> compressed;
            };
        }
    }

    /** A filler's offset index, whose holes are its pages' positions, kept relative to the chunk's start. */
    private record OffsetIndexTemplate(ThriftTemplate bytes, long[] pages) {

        static OffsetIndexTemplate of(OffsetIndex index, long chunkStart) throws IOException {
            List<PageLocation> locations = index.getPage_locations();
            long[] pages = new long[locations.size()];
            for (int p = 0; p < pages.length; p++) {
                pages[p] = locations.get(p).getOffset() - chunkStart;
            }
            ThriftTemplate bytes = ThriftTemplate.of(
                    base -> {
                        OffsetIndex marked = index.deepCopy();
                        for (int p = 0; p < pages.length; p++) {
                            marked.getPage_locations().get(p).setOffset(base + p);
                        }
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        Util.writeOffsetIndex(marked, out);
                        return out.toByteArray();
                    },
                    pages.length,
                    List.of());
            return new OffsetIndexTemplate(bytes, pages);
        }

        /** Writes the index of the chunk copied to {@code start}; {@code scratch} has room for the pages. */
        void write(OutputStream out, long start, long[] scratch) throws IOException {
            for (int p = 0; p < pages.length; p++) {
                scratch[p] = start + pages[p];
            }
            bytes.write(out, scratch, (cut, stream) -> {
                throw new IllegalStateException("an offset index has no cuts");
            });
        }
    }

    /** One thread's buffer, codecs and the places of one file's parts. */
    private static final class Assembly {
        final FileBuffer out;
        final ParquetMetadataConverter converter =
                new ParquetMetadataConverter(ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH);
        final KeptCodecFactory codecs = new KeptCodecFactory();
        final long[] starts;
        final long[] columnIndexOffsets;
        final int[] columnIndexLengths;
        final long[] offsetIndexOffsets;
        final int[] offsetIndexLengths;
        final long[] footerValues;
        final long[] pageOffsets;

        Assembly(int columns, int footerFields, int pages, int templateSize) {
            this.out = new FileBuffer(templateSize + templateSize / 4);
            this.starts = new long[columns];
            this.columnIndexOffsets = new long[columns];
            this.columnIndexLengths = new int[columns];
            this.offsetIndexOffsets = new long[columns];
            this.offsetIndexLengths = new int[columns];
            this.footerValues = new long[footerFields];
            this.pageOffsets = new long[pages];
        }
    }
}
