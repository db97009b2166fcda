package org.impressionsclicks.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.junit.jupiter.api.Test;

class EventFilesSourceTest {

    @Test
    void theReadersHandOverQueueHoldsEverythingItsQueuedFilesCanPutThere() {
        // A file is one element; a restored reader holds up to twice its 4 queued files, and the
        // fetcher's shutdown hand-over is one more. A full queue drops it (FLINK-40660) and hangs the close.
        assertThat(EventFilesSource.readerConfiguration(new Configuration(), 4)
                        .get(SourceReaderOptions.ELEMENT_QUEUE_CAPACITY))
                .isEqualTo(10);
        Configuration larger = new Configuration();
        larger.set(SourceReaderOptions.ELEMENT_QUEUE_CAPACITY, 64);
        assertThat(EventFilesSource.readerConfiguration(larger, 4).get(SourceReaderOptions.ELEMENT_QUEUE_CAPACITY))
                .isEqualTo(64);
        assertThat(new Configuration().get(SourceReaderOptions.ELEMENT_QUEUE_CAPACITY))
                .as("Flink's default")
                .isLessThan(10);
    }
}
