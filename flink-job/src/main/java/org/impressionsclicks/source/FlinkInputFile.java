package org.impressionsclicks.source;

import java.io.IOException;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet {@link InputFile} over Flink's file system abstraction (local, S3, HDFS alike). Unlike
 * parquet-java's {@code LocalInputFile}, whose stream reads a byte at a time where a caller copies
 * ranges, reads here go to the file system in bulk.
 */
public final class FlinkInputFile implements InputFile {

    private final Path path;
    private final long length;

    FlinkInputFile(Path path, long length) {
        this.path = path;
        this.length = length;
    }

    /** A local file. */
    public static FlinkInputFile of(java.nio.file.Path file) throws IOException {
        return new FlinkInputFile(new Path(file.toUri()), java.nio.file.Files.size(file));
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
        FSDataInputStream in = path.getFileSystem().open(path);
        return new DelegatingSeekableInputStream(in) {
            @Override
            public long getPos() throws IOException {
                return in.getPos();
            }

            @Override
            public void seek(long newPos) throws IOException {
                in.seek(newPos);
            }
        };
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
