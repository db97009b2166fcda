package org.impressionsclicks.source;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import javax.annotation.Nullable;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;
import org.apache.flink.util.ExceptionUtils;

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
 *
 * <p>A fresh backfill lists its folder in the coordinator's worker thread, while the JobManager
 * deploys the tasks, instead of in the JobManager's main thread before it schedules them (a quarter
 * of a second for 20 000 files, seconds for 100 000); requests that come first wait for it.
 */
final class BacklogEnumerator implements SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> {

    private final SplitEnumeratorContext<FileSourceSplit> context;
    private final FileSplitAssigner assigner;
    private final ReaderQueues queues;
    /** Readers told that no more files come. */
    private final Set<Integer> told = new HashSet<>();

    /** The listing still to come, or null once its files are in the assigner. */
    @Nullable
    private CompletableFuture<Collection<FileSourceSplit>> listing;

    /** With the files of {@code assigner} (restored from a checkpoint). */
    BacklogEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context, FileSplitAssigner assigner, int depth, int batch) {
        this.context = context;
        this.assigner = assigner;
        this.queues = new ReaderQueues(context, assigner, depth, batch);
    }

    /** With the files {@code lister} lists, when it {@link #start}s. */
    static BacklogEnumerator listing(
            SplitEnumeratorContext<FileSourceSplit> context,
            FileSplitAssigner assigner,
            int depth,
            int batch,
            Callable<Collection<FileSourceSplit>> lister) {
        BacklogEnumerator enumerator = new BacklogEnumerator(context, assigner, depth, batch);
        CompletableFuture<Collection<FileSourceSplit>> listing = new CompletableFuture<>();
        enumerator.listing = listing;
        context.callAsync(
                () -> {
                    try {
                        Collection<FileSourceSplit> files = lister.call();
                        listing.complete(files);
                        return files;
                    } catch (Throwable t) {
                        listing.completeExceptionally(t);
                        throw t;
                    }
                },
                enumerator::listed);
        return enumerator;
    }

    @Override
    public void start() {}

    /** In the coordinator thread: the listing is done (or failed, which fails the job). */
    private void listed(@Nullable Collection<FileSourceSplit> files, @Nullable Throwable error) {
        if (error != null) {
            ExceptionUtils.rethrow(error); // fails the job (SuppressRestartsException: once)
        }
        if (listing != null) { // else a checkpoint waited for it and took its files already
            take(files);
            handOut();
        }
    }

    /**
     * The listing's files into the assigner, waiting for the listing if need be: a checkpoint holds
     * the files not handed out.
     */
    private void awaitListing() {
        if (listing != null) {
            take(listing.join());
        }
    }

    /** The listing is over: its files go to the assigner. */
    private void take(Collection<FileSourceSplit> files) {
        listing = null;
        assigner.addSplits(files);
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
        if (listing == null) {
            handOut();
        }
    }

    private void handOut() {
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
        awaitListing();
        return PendingSplitsCheckpoint.fromCollectionSnapshot(assigner.remainingSplits());
    }

    @Override
    public void close() {}
}
