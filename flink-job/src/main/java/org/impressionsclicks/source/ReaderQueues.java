package org.impressionsclicks.source;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Keeps every source reader up to {@code depth} files ahead, for both enumerators. Flink's file
 * source hands out one file per request, and a reader asks for the next only when it has finished
 * the last, so every file cost a round trip to the JobManager during which the reader idled; an event
 * file is read in a fraction of a millisecond. Here a reader's first request (after it registered,
 * also after a failover) is answered with {@code depth} files and every later one, which
 * {@link EventFileSourceReader} sends after each {@code batch} files it finished, with {@code batch};
 * what one reader gets at once goes out in one assignment, one message. What a reader was not given
 * for want of files it is owed, and gets as soon as files come.
 *
 * <p>So a reader's files held, owed and finished since its last request add up to {@code depth}
 * (more after a restore, when it also holds its old files): with {@code batch <= depth} it never runs
 * dry without being owed files, and a bounded reader that is owed files once there are none left is
 * told that no more come.
 */
final class ReaderQueues {

    private final SplitEnumeratorContext<FileSourceSplit> context;
    private final FileSplitAssigner assigner;
    private final int depth;
    private final int batch;
    /** Readers waiting for files, with how many each wants, the longest waiting first. */
    private final Map<Integer, Integer> waiting = new LinkedHashMap<>();
    /** Readers that registered and have not asked yet: their first request fills the queue. */
    private final Set<Integer> fresh = new HashSet<>();

    ReaderQueues(SplitEnumeratorContext<FileSourceSplit> context, FileSplitAssigner assigner, int depth, int batch) {
        if (batch < 1 || batch > depth) {
            throw new IllegalArgumentException("need 1 <= batch <= depth, got batch " + batch + " and depth " + depth);
        }
        this.context = context;
        this.assigner = assigner;
        this.depth = depth;
        this.batch = batch;
    }

    void addReader(int subtaskId) {
        fresh.add(subtaskId);
        waiting.remove(subtaskId);
    }

    /** A request of {@code subtaskId}: it finished {@code batch} files or, the first time, has none. */
    void request(int subtaskId) {
        waiting.merge(subtaskId, fresh.remove(subtaskId) ? depth : batch, (a, b) -> Math.min(depth, a + b));
    }

    /** {@code subtaskId} gets no more files (a backfill told it so) until it registers again. */
    void remove(int subtaskId) {
        waiting.remove(subtaskId);
    }

    /**
     * Hands the assigner's files to the waiting readers, the longest waiting first. Readers that are
     * gone (failed meanwhile) are dropped: they ask again when they are back.
     *
     * @return the readers that still wait because the assigner ran out of files
     */
    List<Integer> assign() {
        Map<Integer, ReaderInfo> readers = context.registeredReaders();
        Map<Integer, List<FileSourceSplit>> assignment = new LinkedHashMap<>();
        boolean exhausted = false;
        Iterator<Map.Entry<Integer, Integer>> it = waiting.entrySet().iterator();
        while (it.hasNext() && !exhausted) {
            Map.Entry<Integer, Integer> reader = it.next();
            ReaderInfo info = readers.get(reader.getKey());
            if (info == null) {
                it.remove();
                continue;
            }
            List<FileSourceSplit> files = new AssignedFiles();
            while (files.size() < reader.getValue()) {
                Optional<FileSourceSplit> next = assigner.getNext(info.getLocation());
                if (next.isEmpty()) {
                    exhausted = true;
                    break;
                }
                files.add(next.get());
            }
            if (!files.isEmpty()) {
                assignment.put(reader.getKey(), files);
            }
            if (files.size() == reader.getValue()) {
                it.remove();
            } else {
                reader.setValue(reader.getValue() - files.size());
            }
        }
        if (!assignment.isEmpty()) {
            context.assignSplits(new SplitsAssignment<>(assignment));
        }
        return new ArrayList<>(waiting.keySet());
    }

    /**
     * One reader's files of an assignment, described in a line. Flink's coordinator formats every
     * assignment into the message of an error it might raise, before it knows whether it will
     * ({@code SourceCoordinatorContext.assignSplits}), and a {@link FileSourceSplit} formats itself with
     * {@link String#format}: 128 of them were 30 % of the coordinator thread's CPU while a backlog
     * drained (async-profiler, the bench's warm drain).
     */
    static final class AssignedFiles extends ArrayList<FileSourceSplit> {

        private static final long serialVersionUID = 1L;

        @Override
        public String toString() {
            return switch (size()) {
                case 0 -> "[no files]";
                case 1 -> "[" + get(0).path() + "]";
                default ->
                    "[" + size() + " files: " + get(0).path() + " ... "
                            + get(size() - 1).path() + "]";
            };
        }
    }
}
