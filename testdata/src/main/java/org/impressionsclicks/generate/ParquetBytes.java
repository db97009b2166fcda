package org.impressionsclicks.generate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import javax.annotation.Nullable;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.hadoop.metadata.IndexReference;

/**
 * A whole single-row-group Parquet file in memory, its footer and page indexes converted exactly as
 * parquet-java's {@code ParquetFileReader} converts them (same converter, same defaults), so what
 * {@link TemplateEventFileWriter} builds from them is what parquet-java's own file writer would.
 * Reading from an array also avoids {@code ParquetFileReader}'s per-byte reads of the indexes and
 * its Hadoop configuration setup, which cost most of the generator's time per file.
 */
final class ParquetBytes {

    private final byte[] bytes;
    private final ParquetMetadata footer;

    ParquetBytes(byte[] bytes) throws IOException {
        int magic = ParquetFileWriter.MAGIC.length;
        if (bytes.length < 2 * magic + 4
                || !Arrays.equals(bytes, bytes.length - magic, bytes.length, ParquetFileWriter.MAGIC, 0, magic)) {
            throw new IOException("not a Parquet file (" + bytes.length + " bytes)");
        }
        int footerLength = BytesUtils.readIntLittleEndian(bytes, bytes.length - magic - 4);
        this.bytes = bytes;
        this.footer = new ParquetMetadataConverter()
                .readParquetMetadata(
                        stream(bytes.length - magic - 4 - footerLength), ParquetMetadataConverter.NO_FILTER);
        if (footer.getBlocks().size() != 1) {
            throw new IOException(
                    "expected one row group, found " + footer.getBlocks().size());
        }
    }

    byte[] bytes() {
        return bytes;
    }

    ParquetMetadata footer() {
        return footer;
    }

    BlockMetaData rowGroup() {
        return footer.getBlocks().get(0);
    }

    /** The chunk's column index as {@code ParquetFileReader.readColumnIndex} returns it. */
    @Nullable
    ColumnIndex columnIndex(ColumnChunkMetaData chunk) throws IOException {
        IndexReference ref = chunk.getColumnIndexReference();
        return ref == null
                ? null
                : ParquetMetadataConverter.fromParquetColumnIndex(
                        chunk.getPrimitiveType(), Util.readColumnIndex(stream(ref.getOffset())));
    }

    /** The chunk's offset index as {@code ParquetFileReader.readOffsetIndex} returns it. */
    @Nullable
    OffsetIndex offsetIndex(ColumnChunkMetaData chunk) throws IOException {
        IndexReference ref = chunk.getOffsetIndexReference();
        return ref == null
                ? null
                : ParquetMetadataConverter.fromParquetOffsetIndex(Util.readOffsetIndex(stream(ref.getOffset())));
    }

    private InputStream stream(long offset) {
        return new ByteArrayInputStream(bytes, Math.toIntExact(offset), bytes.length - (int) offset);
    }
}
