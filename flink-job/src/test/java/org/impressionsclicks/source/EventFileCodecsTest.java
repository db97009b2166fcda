package org.impressionsclicks.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.Lz4Codec;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.testing.CountedFiles;
import org.impressionsclicks.testing.Jobs;
import org.impressionsclicks.testing.ParquetFiles;
import org.impressionsclicks.testing.ParquetFiles.Page;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decompressors of {@link EventFileCodecs} on their own. Whole files of every codec from other
 * writers are read in {@link ForeignWriterFilesTest}; here are the LZ4 forms that no foreign writer
 * produces (Hadoop blocks of several chunks, as parquet-java itself writes pages larger than its
 * buffer) and broken pages, which must be rejected rather than yield wrong bytes.
 */
class EventFileCodecsTest {

    private static final ZoneId CPH = ZoneId.of("Europe/Copenhagen");

    @TempDir
    Path dir;

    private static byte[] sample(int size) {
        byte[] bytes = new byte[size];
        Random random = new Random(size);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i % 97 < 60 ? 'a' + i % 13 : random.nextInt(256)); // compressible, not trivially
        }
        return bytes;
    }

    /**
     * Hadoop's own LZ4 stream: with a 4 KiB buffer, every write of more than that is one block of several
     * chunks. The compressor is not from Hadoop's {@code CodecPool}: a pooled one would keep the small
     * buffer and later serve parquet-java's writer in this JVM, which expects 256 KiB.
     */
    private static byte[] hadoopLz4(byte[]... writes) throws IOException {
        Configuration conf = new Configuration(false);
        conf.setInt("io.compression.codec.lz4.buffersize", 4096);
        Lz4Codec codec = new Lz4Codec();
        codec.setConf(conf);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = codec.createOutputStream(bytes, codec.createCompressor())) {
            for (byte[] write : writes) {
                out.write(write);
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void readsHadoopLz4BlocksOfSeveralChunks() throws Exception {
        byte[] first = sample(50_000);
        byte[] second = sample(30_001);
        byte[] compressed = hadoopLz4(first, second);
        ByteBuffer expected =
                ByteBuffer.allocate(first.length + second.length).put(first).put(second);

        assertThat(EventFileCodecs.decompress(
                        CompressionCodecName.LZ4, compressed, 0, compressed.length, expected.capacity()))
                .isEqualTo(expected.array());
        byte[] inside = new byte[compressed.length + 7]; // a page amid other bytes, as in a column chunk
        System.arraycopy(compressed, 0, inside, 4, compressed.length);
        assertThat(EventFileCodecs.decompress(
                        CompressionCodecName.LZ4, inside, 4, compressed.length, expected.capacity()))
                .isEqualTo(expected.array());
    }

    @Test
    void readsParquetJavasOwnLz4FilesWithPagesLargerThanTheHadoopBuffer() throws Exception {
        MessageType schema = MessageTypeParser.parseMessageType(
                "message m { required group device_settings { optional binary user_agent (STRING); }"
                        + " required group transaction_header { required int64 creation_time; } }");
        Path file = dir.resolve("impressions_processed_dk_20220526101500000_1-5_0.parquet");
        long time =
                LocalDateTime.parse("2022-05-26T10:10").atZone(CPH).toInstant().toEpochMilli();
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(schema)
                .withCompressionCodec(CompressionCodecName.LZ4)
                .withDictionaryEncoding(false)
                .withPageSize(4 << 20)
                .withPageRowCountLimit(1_000_000)
                .build()) {
            for (int i = 0; i < 20_000; i++) {
                Group row = new SimpleGroupFactory(schema).newGroup();
                row.addGroup("device_settings")
                        .add("user_agent", i % 4 == 0 ? Jobs.REFERENCE_USER_AGENT : "Mozilla/5.0 agent number " + i);
                row.addGroup("transaction_header").add("creation_time", time + i);
                writer.write(row);
            }
        }
        assertThat(ParquetFiles.chunks(file, "device_settings", "user_agent"))
                .singleElement()
                .satisfies(chunk -> assertThat(chunk.pages())
                        .filteredOn(Page::isData)
                        .anyMatch(p -> p.uncompressedBytes() > 256 * 1024));

        long hour = DateHours.hourStart(LocalDateTime.parse("2022-05-26T10:00"));
        String name = file.getFileName().toString();
        assertThat(new EventFileReader(new UserAgentMatcher(Jobs.REFERENCE_USER_AGENT), TimeSource.RECORD, CPH)
                        .read(EventFileName.parse(name).orElseThrow(), name, FlinkInputFile.of(file)))
                .isEqualTo(CountedFiles.inOneHour(name, EventKind.IMPRESSION, hour, 5_000, 20_000));
    }

    @Test
    void brokenPagesAreRejectedNamingTheirCodec() {
        byte[] garbage = "these bytes are neither LZ4 nor Brotli, just text".getBytes(StandardCharsets.US_ASCII);
        for (CompressionCodecName codec : new CompressionCodecName[] {
            CompressionCodecName.LZ4,
            CompressionCodecName.BROTLI,
            CompressionCodecName.SNAPPY,
            CompressionCodecName.ZSTD,
            CompressionCodecName.GZIP,
            CompressionCodecName.LZ4_RAW
        }) {
            assertThatThrownBy(() -> EventFileCodecs.decompress(codec, garbage, 0, garbage.length, 1000))
                    .as(codec.name())
                    .isInstanceOf(InvalidEventFileException.class)
                    .hasMessageStartingWith("not a readable Parquet file (" + codec);
        }
    }

    @Test
    void anLz4PageThatDecodesToFewerBytesThanItsHeaderSaysFails() throws Exception {
        byte[] page = sample(10_000);
        byte[] compressed = hadoopLz4(page);
        assertThatThrownBy(() -> EventFileCodecs.decompress(
                        CompressionCodecName.LZ4, compressed, 0, compressed.length, page.length + 1))
                .isInstanceOf(InvalidEventFileException.class)
                .hasMessageContaining("LZ4 page is neither Hadoop-framed nor a raw LZ4 block");
    }

    @Test
    void lzoIsNotReadAndItsReasonNamesIt() {
        assertThatThrownBy(() -> EventFileCodecs.requireReadable(CompressionCodecName.LZO))
                .isInstanceOf(InvalidEventFileException.class)
                .hasMessage("compressed with LZO, which this job does not read (GPL codec, not bundled)");
        for (CompressionCodecName codec : CompressionCodecName.values()) {
            if (codec != CompressionCodecName.LZO) {
                assertThatCode(() -> EventFileCodecs.requireReadable(codec)).doesNotThrowAnyException();
            }
        }
    }
}
