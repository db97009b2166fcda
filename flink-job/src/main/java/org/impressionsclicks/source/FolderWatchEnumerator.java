package org.impressionsclicks.source;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import javax.annotation.Nullable;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the input folder: lists it at the start, every interval and, when local, as soon as it
 * changes ({@link FolderChanges}), hands each new file to a reader exactly once,
 * and checkpoints the files not yet handed out plus the paths of those that were (the same state,
 * in the same format, as Flink's {@code ContinuousFileSplitEnumerator}, so savepoints of either
 * restore into the other).
 *
 * <p>Two differences. Readers are kept up to {@code depth} files ahead ({@link ReaderQueues}), and a
 * waiting reader gets up to {@code depth} when files arrive, so a reader doesn't idle for a round trip
 * to the JobManager after every few-millisecond file. And the memory of processed paths is bounded by the
 * folder: a processed path that is missing from two listings in a row (archived or deleted with
 * {@code --processed}, or removed by anyone) is forgotten, instead of being kept in memory and in
 * every checkpoint for ever. A file uploaded again under a forgotten name is read again, as a new file.
 */
final class FolderWatchEnumerator
        implements SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> {

    private static final Logger LOG = LoggerFactory.getLogger(FolderWatchEnumerator.class);

    private final SplitEnumeratorContext<FileSourceSplit> context;
    private final Lister files;
    private final FileSplitAssigner assigner;
    private final Path[] folders;
    private final long intervalMillis;
    private final ReaderQueues queues;
    /**
     * The paths handed out, by {@link Path#toString}: written by the coordinator thread, read by the
     * listing thread too, which doesn't look at the files it knows (a {@code stat} and a parsed name
     * each, at every listing of a folder that keeps its files).
     */
    private final Map<String, Path> processed = new ConcurrentHashMap<>();
    /** Processed paths that the last listing did not show; forgotten if the next doesn't either. */
    private final Set<String> missingOnce = new HashSet<>();
    /** How often a folder that can't be listed is warned about. */
    static final Duration WARN_EVERY = Duration.ofMinutes(1);

    /** Hastens the listing of a local folder that changed; null while none is watched. */
    @Nullable
    private FolderChanges changes;
    /** A listing asked for by a change and not begun yet: more changes meanwhile need no other. */
    private final AtomicBoolean listingAsked = new AtomicBoolean();

    private static final long NOT_FAILING = -1;
    private long failingSince = NOT_FAILING;
    private long lastWarning = Long.MIN_VALUE / 2;

    FolderWatchEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context,
            Lister files,
            FileSplitAssigner assigner,
            Path[] folders,
            Collection<Path> processed,
            long intervalMillis,
            int depth,
            int batch) {
        this.context = context;
        this.files = files;
        this.assigner = assigner;
        this.folders = folders;
        processed.forEach(path -> this.processed.put(path.toString(), path));
        this.intervalMillis = intervalMillis;
        this.queues = new ReaderQueues(context, assigner, depth, batch);
    }

    /** How the folders are listed ({@link EventFileEnumerator#listIfChanged}): null when they did not change. */
    @FunctionalInterface
    interface Lister {
        @Nullable
        EventFileEnumerator.Listing list(Path[] folders, Predicate<String> known) throws IOException;
    }

    /**
     * Lists the folders every interval and, for a local folder, also as soon as it changed
     * ({@link FolderChanges}), and at once: what is there already is read without waiting an interval.
     */
    @Override
    public void start() {
        changes = FolderChanges.watch(folders, this::folderChanged);
        context.callAsync(
                () -> {
                    if (changes != null) {
                        changes.watchAll(folders); // a folder that appeared or was replaced
                    }
                    return listFolders();
                },
                this::listed,
                intervalMillis,
                intervalMillis);
        folderChanged();
    }

    /** From any thread: one listing soon, in the listing thread, unless one is asked for already. */
    private void folderChanged() {
        if (listingAsked.compareAndSet(false, true)) {
            context.runInCoordinatorThread(() -> context.callAsync(
                    () -> {
                        listingAsked.set(false); // a change from now on asks for another listing
                        return listFolders();
                    },
                    this::listed));
        }
    }

    /** In the listing thread: the folders, without a look at the files handed out already. */
    @Nullable
    private EventFileEnumerator.Listing listFolders() throws IOException {
        return files.list(folders, processed::containsKey);
    }

    /** As {@link #listed(EventFileEnumerator.Listing, Throwable)}, with a split for every file present. */
    void listed(@Nullable Collection<FileSourceSplit> listing, @Nullable Throwable error) {
        listed(listing == null ? null : new EventFileEnumerator.Listing(List.copyOf(listing), List.of()), error);
    }

    /**
     * Runs in the coordinator thread with a listing of the folder: a split for each file it looked
     * at, and the paths of those it knew; or, with neither a listing nor an error, word that the
     * folder has not changed since the last listing. A known path that was forgotten meanwhile comes
     * as a split in the next listing.
     */
    void listed(@Nullable EventFileEnumerator.Listing listing, @Nullable Throwable error) {
        if (error != null) {
            listingFailed(error);
            return;
        }
        if (failingSince != NOT_FAILING) {
            LOG.info("The input folder {} can be listed again", List.of(folders));
            failingSince = NOT_FAILING;
        }
        if (listing == null) { // what the last listing missed is still missing
            forget(missingOnce);
            missingOnce.clear();
            queues.assign();
            return;
        }
        Set<String> present = new HashSet<>(listing.known());
        List<FileSourceSplit> added = new ArrayList<>();
        for (FileSourceSplit split : listing.files()) {
            String path = split.path().toString();
            present.add(path);
            if (processed.putIfAbsent(path, split.path()) == null) {
                added.add(split);
            }
        }
        forgetRemoved(present);
        assigner.addSplits(added);
        queues.assign();
    }

    private void forgetRemoved(Set<String> present) {
        Set<String> missing = new HashSet<>();
        for (String path : processed.keySet()) {
            if (!present.contains(path)) {
                missing.add(path);
            }
        }
        Set<String> forget = new HashSet<>(missing);
        forget.retainAll(missingOnce);
        forget(forget);
        missing.removeAll(forget);
        missingOnce.clear();
        missingOnce.addAll(missing);
    }

    private void forget(Set<String> paths) {
        if (!paths.isEmpty()) {
            processed.keySet().removeAll(paths);
            LOG.debug(
                    "Forgot {} processed files no longer in the folder; remembering {}",
                    paths.size(),
                    processed.size());
        }
    }

    /**
     * A folder that is missing (mounted late, say) or can't be listed is not a reason to fail the
     * job, which would only restart into the same listing: it warns at once, then at most once per
     * {@link #WARN_EVERY}, and keeps listing every interval until the folder is back.
     */
    private void listingFailed(Throwable error) {
        long now = System.currentTimeMillis();
        if (failingSince == NOT_FAILING) {
            failingSince = now;
        }
        if (now - lastWarning >= WARN_EVERY.toMillis()) {
            lastWarning = now;
            String why = error instanceof MissingInputFolderException
                    ? error.getMessage()
                    : "cannot list the input folder " + List.of(folders) + " ("
                            + error.getClass().getSimpleName() + ": " + error.getMessage() + ")";
            LOG.warn(
                    "Waiting for files: {} for {} s; listing it every {} ms, next warning in {}",
                    why,
                    (now - failingSince) / 1000,
                    intervalMillis,
                    WARN_EVERY);
        }
        LOG.debug("Listing {} failed", List.of(folders), error);
    }

    @Override
    public void addReader(int subtaskId) {
        queues.addReader(subtaskId);
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String hostname) {
        queues.request(subtaskId);
        queues.assign(); // readers that still wait get files as they land
    }

    @Override
    public void addSplitsBack(List<FileSourceSplit> splits, int subtaskId) {
        LOG.debug("Files {} of failed reader {} go back to the queue", splits, subtaskId);
        assigner.addSplits(splits);
    }

    @Override
    public PendingSplitsCheckpoint<FileSourceSplit> snapshotState(long checkpointId) {
        return PendingSplitsCheckpoint.fromCollectionSnapshot(assigner.remainingSplits(), processed.values());
    }

    /** Whether a listing would skip {@code path} as known (for tests). */
    boolean knows(Path path) {
        return processed.containsKey(path.toString());
    }

    /** How many processed paths are remembered (for tests and metrics). */
    int remembered() {
        return processed.size();
    }

    @Override
    public void close() throws IOException {
        // the context stops the periodic listing
        if (changes != null) {
            changes.close();
        }
    }
}
