package org.impressionsclicks.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;

/** Small helpers to look into Parquet files from tests. */
public final class ParquetFiles {

    private ParquetFiles() {}

    public static InputFile input(Path file) {
        return new LocalInputFile(file);
    }

    public static MessageType schema(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(input(file), ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            return reader.getFooter().getFileMetaData().getSchema();
        }
    }
}
