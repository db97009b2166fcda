package org.impressionsclicks.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;

class BacklogEnumeratorTest {

    private static final Path FOLDER = new Path("/data/raw_data");

    private final RecordingEnumeratorContext context = new RecordingEnumeratorContext();

    private BacklogEnumerator enumerator(int depth, String... files) {
        return enumerator(depth, 1, files);
    }

    private BacklogEnumerator enumerator(int depth, int batch, String... files) {
        return new BacklogEnumerator(
                context,
                OldestFirstSplitAssigner.provider().create(RecordingEnumeratorContext.files(FOLDER, files)),
                depth,
                batch);
    }

    @Test
    void withBatchesALaterRequestIsForABatchAndWhatCouldNotBeGivenIsToldNoMore() {
        BacklogEnumerator e = enumerator(4, 2, "a", "b", "c", "d", "e", "f", "g");
        e.addReader(0);
        e.addReader(1);
        e.handleSplitRequest(0, "localhost"); // a full queue
        e.handleSplitRequest(1, "localhost"); // three of the four left
        e.handleSplitRequest(0, "localhost"); // reader 0 finished two files: none left
        assertThat(context.messages).containsExactly("0: a, b, c, d", "1: e, f, g", "1: no more", "0: no more");
    }

    @Test
    void anAssignmentDescribesEachReadersFilesInALineNotFileByFile() {
        BacklogEnumerator e = enumerator(3, "a", "b", "c", "d");
        e.addReader(0);
        e.addReader(1);
        e.handleSplitRequest(0, "localhost");
        e.handleSplitRequest(1, "localhost");
        assertThat(context.described)
                .containsExactly(
                        "{0=[3 files: " + new Path(FOLDER, "a") + " ... " + new Path(FOLDER, "c") + "]}",
                        "{1=[" + new Path(FOLDER, "d") + "]}");
    }

    @Test
    void aReadersFirstRequestQueuesDepthFilesInOneMessageAndLaterOnesOneEach() {
        BacklogEnumerator e = enumerator(3, "a", "b", "c", "d", "e", "f", "g", "h");
        e.addReader(0);
        e.addReader(1);
        e.handleSplitRequest(0, "localhost");
        e.handleSplitRequest(0, "localhost"); // reader 0 finished a file
        e.handleSplitRequest(1, "localhost");
        assertThat(context.messages).containsExactly("0: a, b, c", "0: d", "1: e, f, g");
    }

    @Test
    void eachReaderIsToldOnceThatNoMoreFilesComeThoughItAsksAgainAfterEachQueuedFile() {
        BacklogEnumerator e = enumerator(3, "a", "b", "c", "d");
        e.addReader(0);
        e.addReader(1);
        e.handleSplitRequest(0, "localhost");
        e.handleSplitRequest(1, "localhost"); // one file left of the three reader 1 wants
        e.handleSplitRequest(0, "localhost"); // reader 0 finished a, and the backlog is empty
        e.handleSplitRequest(0, "localhost");
        e.handleSplitRequest(0, "localhost");
        e.handleSplitRequest(1, "localhost"); // reader 1 finished d; a second event could reach a finished task
        assertThat(context.messages).containsExactly("0: a, b, c", "1: d", "1: no more", "0: no more");
        assertThat(e.snapshotState(1).getSplits()).isEmpty();
    }

    @Test
    void aFailedReadersFilesGoToItsNextAttemptOldestFirstAndTheStateIsTheFilesNotHandedOut() throws Exception {
        BacklogEnumerator e = enumerator(
                2,
                "clicks_processed_dk_20220526100000000_1-5_0.parquet",
                "clicks_processed_dk_20220526110000000_1-5_0.parquet",
                "clicks_processed_dk_20220526120000000_1-5_0.parquet");
        e.addReader(0);
        e.handleSplitRequest(0, "localhost");
        assertThat(e.snapshotState(1).getSplits())
                .extracting(s -> s.path().getName())
                .containsExactly("clicks_processed_dk_20220526120000000_1-5_0.parquet");

        List<FileSourceSplit> unread = RecordingEnumeratorContext.files(
                FOLDER,
                "clicks_processed_dk_20220526100000000_1-5_0.parquet",
                "clicks_processed_dk_20220526110000000_1-5_0.parquet");
        e.addSplitsBack(unread, 0);
        context.messages.clear();
        e.addReader(0); // its next attempt, with nothing queued
        e.handleSplitRequest(0, "localhost");
        e.handleSplitRequest(0, "localhost");
        e.handleSplitRequest(0, "localhost");
        assertThat(context.messages)
                .containsExactly(
                        "0: clicks_processed_dk_20220526100000000_1-5_0.parquet, clicks_processed_dk_20220526110000000_1-5_0.parquet",
                        "0: clicks_processed_dk_20220526120000000_1-5_0.parquet",
                        "0: no more");

        context.messages.clear();
        e.addReader(0); // told, then failed again: the next attempt is told again
        e.handleSplitRequest(0, "localhost");
        assertThat(context.messages).containsExactly("0: no more");
    }

    /** A fresh backfill of files a, b and c, queues of two. */
    private BacklogEnumerator listingABC() {
        return BacklogEnumerator.listing(
                context,
                OldestFirstSplitAssigner.provider().create(List.of()),
                2,
                1,
                () -> RecordingEnumeratorContext.files(FOLDER, "a", "b", "c"));
    }

    @Test
    void aFreshBackfillListsInTheBackgroundAndRequestsThatComeFirstWaitForIt() {
        BacklogEnumerator e = listingABC();
        e.start();
        e.addReader(0);
        e.addReader(1);
        e.handleSplitRequest(0, "localhost");
        e.handleSplitRequest(1, "localhost");
        assertThat(context.messages)
                .as("nothing listed yet, so nobody is told there is nothing")
                .isEmpty();
        context.runAsyncCalls();
        assertThat(context.messages).containsExactly("0: a, b", "1: c", "1: no more");
    }

    @Test
    void aCheckpointBeforeTheListingIsDoneWaitsForItAndHoldsItsFiles() {
        BacklogEnumerator e = listingABC();
        e.start();
        Thread lister = new Thread(context::runAsyncCalls); // the coordinator's worker thread
        lister.start();
        assertThat(e.snapshotState(1).getSplits())
                .extracting(s -> s.path().getName())
                .containsExactly("a", "b", "c");
        e.addReader(0);
        e.handleSplitRequest(0, "localhost");
        assertThat(context.messages).containsExactly("0: a, b");
    }
}
