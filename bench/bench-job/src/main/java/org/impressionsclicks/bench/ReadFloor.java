package org.impressionsclicks.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * The floor under any reader of the event files: per file, open it, read its footer (with the
 * 8-byte trailer) in one positioned read and its user-agent column chunk in another, close it; no
 * parsing. With {@link Engines#PARALLELISM} threads, from the page cache. Where those bytes lie is
 * found beforehand, untimed, by parsing each footer once; a warm-up pass (untimed) puts them in the
 * page cache and compiles the loop; then each timed pass reads every file once.
 */
final class ReadFloor {

    /** The column the job counts by; the other one it may read, the creation time, is not needed with file-name time. */
    private static final List<String> USER_AGENT = List.of("device_settings", "user_agent");

    private static final byte[] MAGIC = {'P', 'A', 'R', '1'};

    /** A file's two byte ranges: the footer and trailer at its end, and its user-agent chunk. */
    private record Ranges(Path file, long tailStart, int tailLength, long chunkStart, int chunkLength) {}

    /** The median pass, and what a file holds and what the floor reads of it, on average. */
    record Result(int files, long medianNanos, long fileBytes, long footerBytes, long chunkBytes) {
        double filesPerSecond() {
            return files * 1e9 / medianNanos;
        }
    }

    private ReadFloor() {}

    static Result measure(Dataset data, int passes) throws Exception {
        List<Path> files = data.fileList();
        List<Ranges> ranges = locate(files);
        long fileBytes = 0;
        long footerBytes = 0;
        long chunkBytes = 0;
        for (Ranges r : ranges) {
            fileBytes += Files.size(r.file());
            footerBytes += r.tailLength();
            chunkBytes += r.chunkLength();
        }
        int buffer = ranges.stream()
                .mapToInt(r -> Math.max(r.tailLength(), r.chunkLength()))
                .max()
                .orElse(0);
        long expectedBytes = footerBytes + chunkBytes;
        pass(ranges, buffer, expectedBytes); // untimed: page cache and JIT
        List<Long> times = new ArrayList<>();
        for (int p = 0; p < passes; p++) {
            long start = System.nanoTime();
            pass(ranges, buffer, expectedBytes);
            times.add(System.nanoTime() - start);
        }
        int n = Math.max(1, ranges.size());
        return new Result(ranges.size(), Benchmark.median(times), fileBytes / n, footerBytes / n, chunkBytes / n);
    }

    /** Reads every file's two ranges once, in parallel; checks that every byte came. */
    private static void pass(List<Ranges> ranges, int bufferSize, long expectedBytes) throws Exception {
        AtomicLong read = new AtomicLong();
        InParallel.forEach(ranges, Engines.PARALLELISM, () -> ByteBuffer.allocateDirect(bufferSize), (r, buffer) -> {
            try (FileChannel channel = FileChannel.open(r.file(), StandardOpenOption.READ)) {
                read.addAndGet(readFully(channel, buffer, r.tailStart(), r.tailLength()));
                read.addAndGet(readFully(channel, buffer, r.chunkStart(), r.chunkLength()));
            }
        });
        if (read.get() != expectedBytes) {
            throw new IllegalStateException("the floor read " + read.get() + " bytes, expected " + expectedBytes);
        }
    }

    private static int readFully(FileChannel channel, ByteBuffer buffer, long position, int length) throws IOException {
        buffer.clear().limit(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return length;
    }

    /** Untimed: each file's footer length from its trailer, and its user-agent chunk from the parsed footer. */
    private static List<Ranges> locate(List<Path> files) throws Exception {
        Ranges[] ranges = new Ranges[files.size()];
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            indexes.add(i);
        }
        InParallel.forEach(indexes, Engines.PARALLELISM, () -> null, (i, unused) -> ranges[i] = locate(files.get(i)));
        return List.of(ranges);
    }

    private static Ranges locate(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer trailer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, trailer, size - 8, 8);
            byte[] magic = new byte[4];
            trailer.get(4, magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + " is not a Parquet file");
            }
            int footerLength = trailer.getInt(0);
            ByteBuffer footer = ByteBuffer.allocate(footerLength);
            readFully(channel, footer, size - 8 - footerLength, footerLength);
            FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(footer.array()));
            List<RowGroup> groups = meta.getRow_groups();
            if (groups.size() != 1) {
                throw new IOException(file + " has " + groups.size() + " row groups; the floor reads files of one");
            }
            for (ColumnChunk chunk : groups.get(0).getColumns()) {
                ColumnMetaData column = chunk.getMeta_data();
                if (column.getPath_in_schema().equals(USER_AGENT)) {
                    long start = column.isSetDictionary_page_offset() && column.getDictionary_page_offset() > 0
                            ? Math.min(column.getDictionary_page_offset(), column.getData_page_offset())
                            : column.getData_page_offset();
                    return new Ranges(
                            file,
                            size - 8 - footerLength,
                            footerLength + 8,
                            start,
                            Math.toIntExact(column.getTotal_compressed_size()));
                }
            }
            throw new IOException(file + " has no column " + String.join(".", USER_AGENT));
        }
    }
}
