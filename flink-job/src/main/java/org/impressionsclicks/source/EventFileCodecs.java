package org.impressionsclicks.source;

import com.github.luben.zstd.Zstd;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.brotli.dec.BrotliInputStream;

/**
 * The page decompressors of {@link EventFileReader}: every codec of the Parquet format but LZO, each
 * called straight on the page's bytes (aircompressor for SNAPPY and LZ4, zstd-jni, the JDK's GZIP,
 * {@code org.brotli:dec}), with no Hadoop codec and no stream per page.
 *
 * <p>parquet-java's own {@code CodecFactory} looks each codec up as a Hadoop {@code CompressionCodec}
 * class by name. Two of those fail on files that other writers produce every day, and are read here:
 * <ul>
 *   <li>BROTLI names {@code org.apache.hadoop.io.compress.BrotliCodec}, which no artifact on Maven
 *       Central provides, so every Brotli file (DuckDB, Polars, pyarrow, arrow-rs write them) was
 *       rejected with a {@code ClassNotFoundException}. Here the pure-Java decoder {@code org.brotli:dec}
 *       reads them.
 *   <li>LZ4 names Hadoop's {@code Lz4Codec}, which decodes a block into a fixed 256 KiB buffer, while
 *       Arrow C++ and arrow-rs write a whole page, of any size, as one block (apache/parquet-java#2571).
 *       Here the Hadoop framing is read directly and each chunk decoded by aircompressor's raw LZ4
 *       decoder (the one parquet-java uses for LZ4_RAW). A page that is not Hadoop-framed is read as
 *       one raw LZ4 block, as Arrow does: that is how parquet-cpp before Arrow 1.0 and fastparquet
 *       wrote LZ4.
 * </ul>
 * LZO is GPL-licensed and not bundled: files using it are rejected with a reason that names it
 * ({@link #requireReadable}).
 */
final class EventFileCodecs {

    /** Codecs this job does not read, and why. */
    private static final Map<CompressionCodecName, String> UNREADABLE =
            Map.of(CompressionCodecName.LZO, "GPL codec, not bundled");

    private EventFileCodecs() {}

    /**
     * Rejects a column chunk compressed with a codec this job does not read, with a one-line reason
     * such as "compressed with LZO, which this job does not read (GPL codec, not bundled)".
     */
    static void requireReadable(CompressionCodecName codec) throws InvalidEventFileException {
        String why = UNREADABLE.get(codec);
        if (why != null) {
            throw new InvalidEventFileException(
                    "compressed with " + codec + ", which this job does not read (" + why + ")");
        }
    }

    /**
     * Decompresses one page of {@code length} bytes at {@code bytes[from]} into a new array of
     * exactly {@code uncompressedSize} bytes, straight through each codec's library: no Hadoop codec,
     * no stream per page, which on small pages is most of the cost.
     *
     * @throws InvalidEventFileException when the page does not decompress to that size
     */
    static byte[] decompress(CompressionCodecName codec, byte[] bytes, int from, int length, int uncompressedSize)
            throws InvalidEventFileException {
        requireReadable(codec);
        byte[] out = new byte[uncompressedSize];
        try {
            int n;
            switch (codec) {
                case UNCOMPRESSED:
                    if (length != uncompressedSize) {
                        throw new IOException(
                                "uncompressed page of " + length + " bytes, header says " + uncompressedSize);
                    }
                    System.arraycopy(bytes, from, out, 0, length);
                    return out;
                case SNAPPY:
                    n = new SnappyDecompressor().decompress(bytes, from, length, out, 0, out.length);
                    break;
                case ZSTD: {
                    long result = Zstd.decompressByteArray(out, 0, out.length, bytes, from, length);
                    if (Zstd.isError(result)) {
                        throw new IOException(Zstd.getErrorName(result));
                    }
                    n = (int) result;
                    break;
                }
                case LZ4_RAW:
                    n = new Lz4Decompressor().decompress(bytes, from, length, out, 0, out.length);
                    break;
                case GZIP:
                    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes, from, length))) {
                        n = in.readNBytes(out, 0, out.length);
                        if (in.read() >= 0) {
                            n = -1;
                        }
                    }
                    break;
                case BROTLI:
                    new BrotliPages().decompress(Arrays.copyOfRange(bytes, from, from + length), out);
                    return out;
                case LZ4:
                    new HadoopLz4Pages().decompress(Arrays.copyOfRange(bytes, from, from + length), out);
                    return out;
                default:
                    throw new IOException("no decompressor for " + codec);
            }
            if (n != uncompressedSize) {
                throw new IOException(
                        codec + " page does not decode to the " + uncompressedSize + " bytes its header says");
            }
            return out;
        } catch (IOException | RuntimeException e) { // RuntimeException: aircompressor's MalformedInputException
            throw new InvalidEventFileException(
                    "not a readable Parquet file (" + codec + " page: " + e.getMessage() + ")", e);
        }
    }

    /** A decoder of a whole page's bytes into a whole page's bytes. */
    private abstract static class WholePageDecompressor {

        /** Decompresses {@code input} into exactly {@code output.length} bytes, or fails. */
        abstract void decompress(byte[] input, byte[] output) throws IOException;
    }

    /** BROTLI pages, by the pure-Java reference decoder. */
    static final class BrotliPages extends WholePageDecompressor {

        @Override
        void decompress(byte[] input, byte[] output) throws IOException {
            try (InputStream in = new BrotliInputStream(new java.io.ByteArrayInputStream(input))) {
                int n = in.readNBytes(output, 0, output.length);
                if (n < output.length || in.read() >= 0) {
                    throw new IOException(
                            "Brotli page does not decode to the " + output.length + " bytes its header says");
                }
            } catch (RuntimeException e) { // BrotliRuntimeException on corrupt input
                throw new IOException("corrupt Brotli page: " + e.getMessage(), e);
            }
        }
    }

    /**
     * LZ4 pages: Hadoop's framing (blocks of a 4-byte big-endian uncompressed length followed by
     * chunks of a 4-byte big-endian compressed length and a raw LZ4 block), or else one raw LZ4 block.
     */
    static final class HadoopLz4Pages extends WholePageDecompressor {

        private final Lz4Decompressor lz4 = new Lz4Decompressor();

        @Override
        void decompress(byte[] input, byte[] output) throws IOException {
            if (!decompressHadoopFraming(input, output)) {
                try {
                    if (lz4.decompress(input, 0, input.length, output, 0, output.length) == output.length) {
                        return;
                    }
                } catch (MalformedInputException e) {
                    // neither form: reported below
                }
                throw new IOException(
                        "LZ4 page is neither Hadoop-framed nor a raw LZ4 block of " + output.length + " bytes");
            }
        }

        /** Decodes Hadoop-framed LZ4; false (output undefined) when the bytes are not exactly that. */
        private boolean decompressHadoopFraming(byte[] input, byte[] output) {
            int in = 0;
            int out = 0;
            try {
                while (in < input.length) {
                    if (input.length - in < 4) {
                        return false;
                    }
                    long blockEnd = out + (long) readInt(input, in);
                    in += 4;
                    if (blockEnd > output.length) {
                        return false;
                    }
                    while (out < blockEnd) {
                        if (input.length - in < 4) {
                            return false;
                        }
                        int chunk = readInt(input, in);
                        in += 4;
                        if (chunk <= 0 || chunk > input.length - in) {
                            return false;
                        }
                        out += lz4.decompress(input, in, chunk, output, out, (int) blockEnd - out);
                        in += chunk;
                    }
                }
            } catch (MalformedInputException e) {
                return false;
            }
            return out == output.length;
        }

        private static int readInt(byte[] b, int at) {
            int value = ((b[at] & 0xff) << 24)
                    | ((b[at + 1] & 0xff) << 16)
                    | ((b[at + 2] & 0xff) << 8)
                    | (b[at + 3] & 0xff);
            return value < 0 ? Integer.MAX_VALUE : value; // never a valid length; fails the bound checks
        }
    }
}
