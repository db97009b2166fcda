package org.impressionsclicks.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;

/**
 * An enumerator context of two registered readers that records what the enumerator sends: the
 * files each reader got, each assignment as one message, and the no-more-splits events.
 */
final class RecordingEnumeratorContext implements SplitEnumeratorContext<FileSourceSplit> {

    /** The file names each reader got, in order. */
    final Map<Integer, List<String>> assigned = new TreeMap<>();
    /** Every message to a reader: {@code "0: a, b"} for an assignment, {@code "0: no more"}. */
    final List<String> messages = new ArrayList<>();
    /** Each assignment's {@code toString()}, which Flink's coordinator builds for every one. */
    final List<String> described = new ArrayList<>();
    /** The one-off asynchronous calls not run yet ({@link #runAsyncCalls}), each with its handler. */
    private final List<Runnable> asyncCalls = new ArrayList<>();

    /** One split per name, a whole file of {@code folder}, its name as split id. */
    static List<FileSourceSplit> files(Path folder, String... names) {
        List<FileSourceSplit> splits = new ArrayList<>();
        for (String name : names) {
            splits.add(new FileSourceSplit(name, new Path(folder, name), 0, 10, 0, 10));
        }
        return splits;
    }

    @Override
    public SplitEnumeratorMetricGroup metricGroup() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sendEventToSourceReader(int subtaskId, SourceEvent event) {}

    @Override
    public int currentParallelism() {
        return 2;
    }

    @Override
    public Map<Integer, ReaderInfo> registeredReaders() {
        return Map.of(0, new ReaderInfo(0, "localhost"), 1, new ReaderInfo(1, "localhost"));
    }

    @Override
    public void assignSplits(SplitsAssignment<FileSourceSplit> assignment) {
        described.add(assignment.toString());
        assignment.assignment().forEach((reader, splits) -> {
            List<String> names = splits.stream().map(s -> s.path().getName()).toList();
            assigned.computeIfAbsent(reader, r -> new ArrayList<>()).addAll(names);
            messages.add(reader + ": " + String.join(", ", names));
        });
    }

    @Override
    public void signalNoMoreSplits(int subtask) {
        messages.add(subtask + ": no more");
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
        asyncCalls.add(() -> {
            T result;
            try {
                result = callable.call();
            } catch (Throwable t) {
                handler.accept(null, t);
                return;
            }
            handler.accept(result, null);
        });
    }

    /** Runs the one-off asynchronous calls made so far, and their handlers, as the coordinator would. */
    void runAsyncCalls() {
        List<Runnable> calls = new ArrayList<>(asyncCalls);
        asyncCalls.clear();
        calls.forEach(Runnable::run);
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler, long initialDelay, long period) {}

    @Override
    public void runInCoordinatorThread(Runnable runnable) {
        runnable.run();
    }
}
