package org.impressionsclicks.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.impressionsclicks.config.ProcessedFilesMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProcessedFilesSinkTest {

    @ParameterizedTest
    @EnumSource(ProcessedFilesMode.class)
    void finishedFilesAreCommittedWithTheNextCheckpointUnlessTheyAreKept(ProcessedFilesMode mode) throws Exception {
        @SuppressWarnings("unchecked")
        CommittingSinkWriter<String, String> writer = (CommittingSinkWriter<String, String>)
                new ProcessedFilesSink(mode, "/in", "/archive").createWriter(null);
        writer.write("a.parquet", null);
        writer.write("b.parquet", null);
        if (mode == ProcessedFilesMode.KEEP) {
            assertThat(writer.prepareCommit()).isEmpty();
        } else {
            assertThat(writer.prepareCommit()).containsExactly("a.parquet", "b.parquet");
        }
        assertThat(writer.prepareCommit()).as("each name once").isEmpty();
    }
}
