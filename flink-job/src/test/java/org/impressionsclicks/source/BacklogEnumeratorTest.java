package org.impressionsclicks.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.junit.jupiter.api.Test;

class EventFilesSourceTest {

    /** Records what the wrapped file-source enumerator is asked. */
    private static final class Recording implements SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> {
        final List<String> calls = new ArrayList<>();

        @Override
        public void start() {
            calls.add("start");
        }

        @Override
        public void handleSplitRequest(int subtaskId, String hostname) {
            calls.add("request " + subtaskId);
        }

        @Override
        public void addSplitsBack(List<FileSourceSplit> splits, int subtaskId) {
            calls.add("back " + subtaskId);
        }

        @Override
        public void addReader(int subtaskId) {
            calls.add("reader " + subtaskId);
        }

        @Override
        public PendingSplitsCheckpoint<FileSourceSplit> snapshotState(long checkpointId) {
            calls.add("snapshot " + checkpointId);
            return PendingSplitsCheckpoint.fromCollectionSnapshot(List.of());
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    @Test
    void aReadersFirstRequestQueuesDepthFilesAndLaterOnesOneEach() {
        Recording files = new Recording();
        EventFilesSource.Enumerator enumerator = new EventFilesSource.Enumerator(files, 3);
        enumerator.addReader(0);
        enumerator.addReader(1);
        enumerator.handleSplitRequest(0, null);
        enumerator.handleSplitRequest(0, null);
        enumerator.handleSplitRequest(1, null);
        assertThat(files.calls).containsExactly("reader 0", "reader 1",
                "request 0", "request 0", "request 0", // the first request fills reader 0's queue
                "request 0", // a finished file is replaced by one
                "request 1", "request 1", "request 1");
    }

    @Test
    void aReaderRestartedAfterAFailoverFillsItsQueueAgainAndStateIsTheFileSources() throws Exception {
        Recording files = new Recording();
        EventFilesSource.Enumerator enumerator = new EventFilesSource.Enumerator(files, 2);
        enumerator.addReader(0);
        enumerator.handleSplitRequest(0, null);
        enumerator.addSplitsBack(List.of(), 0);
        enumerator.addReader(0);
        enumerator.handleSplitRequest(0, null);
        enumerator.snapshotState(7);
        assertThat(files.calls).containsExactly("reader 0", "request 0", "request 0", "back 0", "reader 0",
                "request 0", "request 0", "snapshot 7");
    }
}
