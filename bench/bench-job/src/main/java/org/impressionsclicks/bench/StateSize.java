package org.impressionsclicks.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.impressionsclicks.ImpressionsClicksJob;
import org.impressionsclicks.config.CommandLine;
import org.impressionsclicks.config.JobConfig;

/**
 * What the watching source costs per remembered file: it keeps the path of every processed file
 * still in the folder (Flink's own file source: of every file ever processed) in a
 * {@code HashSet<Path>} and writes them into every checkpoint. Measured here at 100 000 and
 * 1 000 000 paths of upstream-length names, with that data structure and the job's own source's
 * checkpoint serializer.
 */
final class StateSize {

    private StateSize() {}

    static void report() throws Exception {
        JobConfig config = JobConfig.from(
                CommandLine.parse(
                                new String[] {"--user-agent", "x", "--input", "/data/raw_data"},
                                new org.apache.flink.configuration.Configuration())
                        .configuration(),
                System.getenv());
        var source = ImpressionsClicksJob.fileSource(config);
        @SuppressWarnings("unchecked")
        SimpleVersionedSerializer<PendingSplitsCheckpoint<FileSourceSplit>> serializer =
                (SimpleVersionedSerializer<PendingSplitsCheckpoint<FileSourceSplit>>)
                        (SimpleVersionedSerializer<?>) source.getEnumeratorCheckpointSerializer();
        System.out.println();
        for (int files : new int[] {100_000, 1_000_000}) {
            long heapBefore = usedHeapAfterGc();
            Set<Path> processed = new HashSet<>();
            for (int i = 0; i < files; i++) {
                processed.add(new Path(String.format(
                        "/data/raw_data/impressions_processed_dk_2022%02d%02d%09d_%d-%d_%d.parquet",
                        1 + i % 12, 1 + i % 28, i, 160_000_000 + 5L * i, 160_000_004 + 5L * i, i % 2)));
            }
            long heap = usedHeapAfterGc() - heapBefore;
            byte[] checkpoint = serializer.serialize(
                    PendingSplitsCheckpoint.fromCollectionSnapshot(List.of(), new ArrayList<>(processed)));
            System.out.printf(
                    "Source state with %,9d processed files remembered: heap %,6.1f MiB, checkpoint %,6.1f MiB (%d and %d bytes per file)%n",
                    files, heap / 1048576.0, checkpoint.length / 1048576.0, heap / files, checkpoint.length / files);
            processed.clear();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
