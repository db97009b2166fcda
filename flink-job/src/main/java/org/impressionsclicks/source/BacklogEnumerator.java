package org.impressionsclicks.source;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Bounded (a backfill): hands out the files listed at the start, keeping every reader up to
 * {@code depth} files ahead ({@link ReaderQueues}), and tells each reader once that no more will
 * come. Its state is Flink's static file enumerator's: the files not handed out yet.
 *
 * <p>Once. Flink's static enumerator answers every request after the last file with another
 * no-more-splits event, which is right for its readers (they hold one file and ask once more), but a
 * reader that was given several files asks again after each of them; the second event could reach a
 * subtask that had finished meanwhile, and Flink fails the job over for an event it could not deliver
 * ({@code An OperatorEvent from an OperatorCoordinator to a task was lost}). Here the requests of a
 * reader that was told are dropped until it registers again (after a failover).
 */
final class BacklogEnumerator implements SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> {

    private final SplitEnumeratorContext<FileSourceSplit> context;
    private final FileSplitAssigner assigner;
    private final ReaderQueues queues;
    /** Readers told that no more files come. */
    private final Set<Integer> told = new HashSet<>();

    BacklogEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context, FileSplitAssigner assigner, int depth, int batch) {
        this.context = context;
        this.assigner = assigner;
        this.queues = new ReaderQueues(context, assigner, depth, batch);
    }

    @Override
    public void start() {
        // the files were listed when the enumerator was created
    }

    @Override
    public void addReader(int subtaskId) {
        told.remove(subtaskId);
        queues.addReader(subtaskId);
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String hostname) {
        if (told.contains(subtaskId)) {
            return;
        }
        queues.request(subtaskId);
        for (int reader : queues.assign()) {
            queues.remove(reader);
            told.add(reader);
            context.signalNoMoreSplits(reader);
        }
    }

    @Override
    public void addSplitsBack(List<FileSourceSplit> splits, int subtaskId) {
        assigner.addSplits(splits); // the failed reader's files, read by its next attempt
    }

    @Override
    public PendingSplitsCheckpoint<FileSourceSplit> snapshotState(long checkpointId) {
        return PendingSplitsCheckpoint.fromCollectionSnapshot(assigner.remainingSplits());
    }

    @Override
    public void close() {}
}
