package org.impressionsclicks.generate;

import java.io.ByteArrayOutputStream;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} in memory, for the files the generator only takes apart again (a
 * template, a file's two job columns): no temp file to create, write, read back and delete. Like
 * {@link org.apache.parquet.io.LocalOutputFile} it has no block size, so parquet-java lays out the
 * same bytes as it would on disk.
 */
final class MemoryOutputFile implements OutputFile {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);

    @Override
    public PositionOutputStream create(long blockSizeHint) {
        return createOrOverwrite(blockSizeHint);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        bytes.reset();
        return new Stream();
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return -1;
    }

    @Override
    public String getPath() {
        return "memory";
    }

    /** The file written so far. */
    byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /** Appends to {@link #bytes}; its position is their count. */
    private final class Stream extends PositionOutputStream {
        @Override
        public long getPos() {
            return bytes.size();
        }

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }
    }
}
