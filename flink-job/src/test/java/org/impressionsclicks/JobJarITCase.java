package org.impressionsclicks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.impressionsclicks.testing.Build;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar (built by {@code package}, before the integration tests run) carries the decoder of
 * every Parquet codec the job reads: a cluster has none of them, while the tests' classpath might hide a
 * missing one behind Flink's own jars.
 */
class JobJarITCase {

    @Test
    void carriesTheDecoderOfEveryCodecTheJobReads() throws Exception {
        Path jar = Path.of("target", Build.jobJar());
        assertThat(jar).as("the shaded job jar").isRegularFile();
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> entries = file.stream().map(e -> e.getName()).toList();
            assertThat(entries)
                    .contains(
                            "org/impressionsclicks/source/EventFileCodecs.class",
                            "org/brotli/dec/BrotliInputStream.class", // BROTLI
                            "io/airlift/compress/lz4/Lz4Decompressor.class", // LZ4 (Hadoop framing), LZ4_RAW
                            "org/apache/parquet/hadoop/codec/Lz4RawCodec.class",
                            "io/airlift/compress/snappy/SnappyDecompressor.class", // SNAPPY
                            "org/apache/parquet/hadoop/codec/ZstandardCodec.class", // ZSTD
                            "com/github/luben/zstd/ZstdInputStreamNoFinalizer.class",
                            "org/apache/hadoop/io/compress/GzipCodec.class", // GZIP, without native Hadoop
                            "org/apache/hadoop/io/compress/zlib/BuiltInGzipDecompressor.class");
            assertThat(entries).anyMatch(e -> e.matches("linux/amd64/libzstd-jni-.*\\.so"));
        }
    }
}
