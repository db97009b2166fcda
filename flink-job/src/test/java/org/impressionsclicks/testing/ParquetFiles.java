package org.impressionsclicks.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;

/** Small helpers to look into Parquet files from tests, below what the reader shows: footers and page headers. */
public final class ParquetFiles {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private ParquetFiles() {}

    public static InputFile input(Path file) {
        return new LocalInputFile(file);
    }

    public static MessageType schema(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(
                input(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            return reader.getFooter().getFileMetaData().getSchema();
        }
    }

    /** One page header of a column chunk. */
    public record Page(PageType type, Encoding encoding, int uncompressedBytes) {

        public boolean isData() {
            return type == PageType.DATA_PAGE || type == PageType.DATA_PAGE_V2;
        }

        public boolean isDictionaryEncoded() {
            return encoding == Encoding.PLAIN_DICTIONARY || encoding == Encoding.RLE_DICTIONARY;
        }
    }

    /** The pages of one column chunk, as its page headers say, and the codec its footer entry names. */
    public record Chunk(CompressionCodecName codec, List<Page> pages) {

        /** A dictionary page, then dictionary-encoded data pages, then others: the writer's dictionary outgrew its limit. */
        public boolean fallsBackFromDictionary() {
            List<Page> data = pages.stream().filter(Page::isData).toList();
            int firstPlain = data.size();
            for (int i = 0; i < data.size(); i++) {
                if (!data.get(i).isDictionaryEncoded()) {
                    firstPlain = i;
                    break;
                }
            }
            return pages.stream().anyMatch(p -> p.type() == PageType.DICTIONARY_PAGE)
                    && firstPlain > 0
                    && firstPlain < data.size()
                    && data.subList(firstPlain, data.size()).stream().noneMatch(Page::isDictionaryEncoded);
        }
    }

    /** Every chunk of the column at {@code path} (e.g. {@code device_settings, user_agent}), one per row group, read from the page headers. */
    public static List<Chunk> chunks(Path file, String... path) throws IOException {
        Footer footer = Footer.of(file);
        List<Chunk> chunks = new ArrayList<>();
        for (RowGroup rowGroup : footer.meta().getRow_groups()) {
            for (ColumnChunk column : rowGroup.getColumns()) {
                ColumnMetaData meta = column.getMeta_data();
                if (!meta.getPath_in_schema().equals(Arrays.asList(path))) {
                    continue;
                }
                long start = meta.isSetDictionary_page_offset() && meta.getDictionary_page_offset() > 0
                        ? Math.min(meta.getDictionary_page_offset(), meta.getData_page_offset())
                        : meta.getData_page_offset();
                InputStream in = new ByteArrayInputStream(
                        footer.file(), Math.toIntExact(start), Math.toIntExact(meta.getTotal_compressed_size()));
                List<Page> pages = new ArrayList<>();
                while (in.available() > 0) {
                    PageHeader header = Util.readPageHeader(in);
                    Encoding encoding = header.isSetData_page_header()
                            ? header.getData_page_header().getEncoding()
                            : header.isSetData_page_header_v2()
                                    ? header.getData_page_header_v2().getEncoding()
                                    : header.isSetDictionary_page_header()
                                            ? header.getDictionary_page_header().getEncoding()
                                            : null;
                    pages.add(new Page(header.getType(), encoding, header.getUncompressed_page_size()));
                    in.skipNBytes(header.getCompressed_page_size());
                }
                chunks.add(new Chunk(CompressionCodecName.fromParquet(meta.getCodec()), pages));
            }
        }
        return chunks;
    }

    /**
     * Copies {@code source} to {@code target} with the footer naming {@code codec} for the chunks of the columns
     * {@code columns} accepts (by path), the pages left as they are: a file as a writer of that codec would
     * leave it where no such writer is at hand (LZO), or as an old writer labelled its pages (raw LZ4 as LZ4).
     */
    public static Path relabelCodec(
            Path source, Path target, CompressionCodecName codec, Predicate<List<String>> columns) throws IOException {
        Footer footer = Footer.of(source);
        for (RowGroup rowGroup : footer.meta().getRow_groups()) {
            for (ColumnChunk column : rowGroup.getColumns()) {
                if (columns.test(column.getMeta_data().getPath_in_schema())) {
                    column.getMeta_data().setCodec(codec.getParquetCompressionCodec());
                }
            }
        }
        return Files.write(target, footer.rewritten(), StandardOpenOption.CREATE_NEW);
    }

    /**
     * The file's bytes with each chunk's encodings listed in the format's numbering, as the
     * generator lists them: parquet-java lists them in no fixed order (that of a hash set).
     */
    public static byte[] withSortedEncodings(Path file) throws IOException {
        Footer footer = Footer.of(file);
        for (RowGroup rowGroup : footer.meta().getRow_groups()) {
            for (ColumnChunk column : rowGroup.getColumns()) {
                column.getMeta_data().getEncodings().sort(Comparator.comparingInt(Encoding::getValue));
            }
        }
        return footer.rewritten();
    }

    /** A whole file and its footer, which ends it: footer, its length (4 bytes, little-endian), "PAR1". */
    private record Footer(byte[] file, int start, FileMetaData meta) {

        static Footer of(Path path) throws IOException {
            byte[] file = Files.readAllBytes(path);
            int length = ByteBuffer.wrap(file, file.length - 8, 4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .getInt();
            int start = file.length - 8 - length;
            return new Footer(file, start, Util.readFileMetaData(new ByteArrayInputStream(file, start, length)));
        }

        /** The file with {@link #meta} serialized anew in place of the footer it had. */
        byte[] rewritten() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(file, 0, start);
            ByteArrayOutputStream newFooter = new ByteArrayOutputStream();
            Util.writeFileMetaData(meta, newFooter);
            newFooter.writeTo(out);
            out.write(ByteBuffer.allocate(4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(newFooter.size())
                    .array());
            out.write(MAGIC);
            return out.toByteArray();
        }
    }
}
