package org.impressionsclicks.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FolderWatchEnumeratorTest {

    private static final Path FOLDER = new Path("/data/raw_data");

    private final RecordingEnumeratorContext context = new RecordingEnumeratorContext();

    @AfterEach
    void aWatchingSourceNeverEnds() {
        assertThat(context.messages).noneMatch(m -> m.endsWith("no more"));
    }

    private FolderWatchEnumerator enumerator(Collection<FileSourceSplit> pending, Collection<Path> processed) {
        return new FolderWatchEnumerator(
                context,
                (paths, known) -> new EventFileEnumerator.Listing(List.of(), List.of()),
                OldestFirstSplitAssigner.provider().create(pending),
                new Path[] {FOLDER},
                processed,
                500,
                3,
                1);
    }

    private static List<FileSourceSplit> listing(String... names) {
        return RecordingEnumeratorContext.files(FOLDER, names);
    }

    @Test
    void aFileIsHandedOutOnceAndReadersKeepUpToThreeQueued() {
        FolderWatchEnumerator e = enumerator(List.of(), List.of());
        e.addReader(0);
        e.addReader(1);
        e.handleSplitRequest(0, "localhost"); // nothing there yet: reader 0 waits for three
        e.listed(listing("a", "b", "c", "d"), null);
        e.handleSplitRequest(1, "localhost");
        e.listed(listing("a", "b", "c", "d", "e"), null); // a..d again: not handed out twice
        e.handleSplitRequest(0, "localhost"); // reader 0 finished one: it wants one more
        e.listed(listing("a", "b", "c", "d", "e", "f", "g"), null); // reader 1 waited first, for its third
        assertThat(context.assigned).isEqualTo(Map.of(0, List.of("a", "b", "c", "g"), 1, List.of("d", "e", "f")));
        assertThat(context.messages).startsWith("0: a, b, c"); // what a reader gets at once is one message
    }

    private static String hourFile(int day, int hour) {
        return String.format("clicks_processed_dk_202005%02d%02d0000000_1-5_0.parquet", day, hour);
    }

    @Test
    void filesOfAFailedReaderComeBackBeforeNewerFilesListedMeanwhile() {
        FolderWatchEnumerator e = enumerator(List.of(), List.of());
        e.addReader(0);
        e.handleSplitRequest(0, "localhost");
        e.listed(listing(hourFile(1, 10), hourFile(1, 11), hourFile(1, 12), hourFile(1, 13)), null);
        assertThat(context.assigned.get(0)).containsExactly(hourFile(1, 10), hourFile(1, 11), hourFile(1, 12));

        // reader 0 fails with its three files unread while newer files land
        e.listed(
                listing(
                        hourFile(1, 10),
                        hourFile(1, 11),
                        hourFile(1, 12),
                        hourFile(1, 13),
                        hourFile(2, 9),
                        hourFile(3, 9)),
                null);
        e.addSplitsBack(listing(hourFile(1, 10), hourFile(1, 11), hourFile(1, 12)), 0);
        context.assigned.clear();
        e.addReader(0);
        e.handleSplitRequest(0, "localhost");
        e.handleSplitRequest(0, "localhost");
        e.handleSplitRequest(0, "localhost");
        e.handleSplitRequest(0, "localhost");

        // oldest first again: had the newer ones gone first, the watermark would make the older late
        assertThat(context.assigned.get(0))
                .containsExactly(
                        hourFile(1, 10),
                        hourFile(1, 11),
                        hourFile(1, 12),
                        hourFile(1, 13),
                        hourFile(2, 9),
                        hourFile(3, 9));
    }

    @Test
    void processedPathsGoneFromTwoListingsInARowAreForgottenAndTheRestRemembered() {
        FolderWatchEnumerator e = enumerator(List.of(), List.of());
        e.listed(listing("a", "b", "c"), null);
        assertThat(e.remembered()).isEqualTo(3);
        e.listed(listing("b", "c"), null); // a archived, or a listing that missed it: remembered once more
        assertThat(e.remembered()).isEqualTo(3);
        e.listed(listing("a", "b", "c"), null); // it was a glitch: a is still known, not handed out again
        e.listed(listing("c"), null);
        e.listed(listing("c"), null); // a and b are gone for good
        assertThat(e.remembered()).isEqualTo(1);
        e.addReader(0);
        e.handleSplitRequest(0, "localhost");
        assertThat(context.assigned.get(0)).containsExactly("a", "b", "c"); // each once, from the first listing
    }

    @Test
    void aFolderUnchangedSinceAListingThatMissedAProcessedPathForgetsIt() {
        FolderWatchEnumerator e = enumerator(List.of(), List.of());
        e.listed(listing("a", "b"), null);
        e.listed(listing("b"), null);
        assertThat(e.remembered()).isEqualTo(2);
        e.listed((EventFileEnumerator.Listing) null, null); // no listing: the folder did not change
        assertThat(e.remembered()).isEqualTo(1);
        assertThat(e.knows(new Path(FOLDER, "b"))).isTrue();
        e.listed((EventFileEnumerator.Listing) null, null);
        assertThat(e.remembered()).isEqualTo(1);
    }

    @Test
    void theCheckpointHoldsQueuedFilesAndProcessedPathsAndARestoreHandsOutOnlyTheQueued() {
        FolderWatchEnumerator e = enumerator(List.of(), List.of());
        e.listed(listing("a", "b", "c"), null);
        e.addReader(0);
        e.handleSplitRequest(0, "localhost");
        e.listed(listing("a", "b", "c", "d", "e", "f"), null);
        PendingSplitsCheckpoint<FileSourceSplit> checkpoint = e.snapshotState(1);
        assertThat(checkpoint.getSplits().stream().map(s -> s.path().getName()).collect(Collectors.toList()))
                .containsExactly("d", "e", "f");
        assertThat(checkpoint.getAlreadyProcessedPaths()).hasSize(6);

        RecordingEnumeratorContext after = new RecordingEnumeratorContext();
        FolderWatchEnumerator restored = new FolderWatchEnumerator(
                after,
                (paths, known) -> new EventFileEnumerator.Listing(List.of(), List.of()),
                OldestFirstSplitAssigner.provider().create(checkpoint.getSplits()),
                new Path[] {FOLDER},
                checkpoint.getAlreadyProcessedPaths(),
                500,
                3,
                1);
        restored.listed(listing("a", "b", "c", "d", "e", "f", "g"), null);
        restored.addReader(1);
        restored.handleSplitRequest(1, "localhost");
        restored.handleSplitRequest(1, "localhost");
        assertThat(after.assigned).isEqualTo(Map.of(1, List.of("d", "e", "f", "g")));
    }

    @Test
    void filesSeenAsKnownStayRememberedAndAreNotHandedOutAgain() {
        FolderWatchEnumerator e = enumerator(List.of(), List.of());
        e.addReader(0);
        e.handleSplitRequest(0, "localhost");
        e.listed(listing("a", "b"), null);
        assertThat(e.knows(new Path(FOLDER, "a"))).isTrue();
        assertThat(e.knows(new Path(FOLDER, "c"))).isFalse();

        List<String> known = List.of(new Path(FOLDER, "a").toString(), new Path(FOLDER, "b").toString());
        e.listed(new EventFileEnumerator.Listing(listing("c"), known), null);
        e.listed(new EventFileEnumerator.Listing(List.of(), known), null);
        e.listed(new EventFileEnumerator.Listing(List.of(), known), null); // c missing twice: forgotten
        assertThat(context.messages).containsExactly("0: a, b", "0: c");
        assertThat(e.remembered()).isEqualTo(2);
        assertThat(e.knows(new Path(FOLDER, "c")))
                .as("a forgotten file is looked at again")
                .isFalse();
    }
}
