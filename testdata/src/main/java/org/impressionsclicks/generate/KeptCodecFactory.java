package org.impressionsclicks.generate;

import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * parquet-java's default codec factory, kept across the many small writers of one thread. Each
 * {@code ParquetWriter} builds a factory whose compressor allocates page-sized buffers and releases
 * them on close, which was a third of the time spent writing a file's two job columns; this one
 * ignores {@link #release()}, so the compressors (heap buffers, reset before each page) are made
 * once per thread and left to the garbage collector with it. The compressed bytes are the same.
 * Not thread-safe.
 */
final class KeptCodecFactory implements CompressionCodecFactory {

    private final CodecFactory codecs =
            new CodecFactory(new PlainParquetConfiguration(), ParquetProperties.DEFAULT_PAGE_SIZE);

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codecName) {
        return codecs.getCompressor(codecName);
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codecName) {
        return codecs.getDecompressor(codecName);
    }

    /** Keeps the compressors for the thread's next writer. */
    @Override
    public void release() {}
}
