package org.impressionsclicks.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;

/**
 * What an engine process hands back to the runner: the counts per date-hour in a result file
 * ({@code yyyy-MM-ddTHH,<impressions>,<clicks>}, sorted) and one {@code ENGINE_RESULT} line on
 * standard output with its elapsed time and peak heap.
 */
final class EngineReport {

    private EngineReport() {}

    /** Writes {@code counts} (date-hour to {impressions, clicks}) and prints the result line. */
    static void finish(String engine, long startNanos, SortedMap<String, long[]> counts, long rows, Path out) throws IOException {
        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
        Engines.writeResult(out, counts);
        System.out.printf("ENGINE_RESULT engine=%s elapsed_ms=%d peak_heap_mb=%d rows=%d%n",
                engine, elapsedMs, peakHeapMb(), rows);
    }

    /** The sum of the peak usage of the heap's memory pools since the JVM started. */
    static long peakHeapMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes >> 20;
    }

    /** Reads the {@code --name value} pairs of an engine's command line. */
    static Map<String, String> options(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --name value");
        }
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("not an option: " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
