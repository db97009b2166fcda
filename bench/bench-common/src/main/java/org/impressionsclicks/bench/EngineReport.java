package org.impressionsclicks.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The contract between the benchmark runner and its engines, each a {@code main} run in a JVM of
 * its own: {@code <Engine> --input DIR --user-agent UA --out FILE [--parallelism N]} counts the
 * user agent's impressions and clicks per date-hour of the file names of the event files in DIR,
 * writes them to FILE ({@code yyyy-MM-ddTHH,<impressions>,<clicks>}, sorted) and prints one line
 * {@code ENGINE_RESULT engine=.. elapsed_ms=.. peak_heap_mb=.. peak_rss_mb=.. rows=..}; elapsed is measured from
 * just before the engine's session is created to the result in hand.
 */
public final class EngineReport {

    /**
     * The two kinds of event file, as their name prefixes, in the order of the result's columns. Their
     * schemas differ, so engines scan each kind on its own.
     */
    public static final String[] KINDS = {"impressions", "clicks"};

    private EngineReport() {}

    /** Writes {@code counts} (date-hour to {impressions, clicks}) and prints the result line. */
    public static void finish(String engine, long startNanos, SortedMap<String, long[]> counts, long rows, Path out)
            throws IOException {
        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
        writeResult(out, counts);
        System.out.printf(
                "ENGINE_RESULT engine=%s elapsed_ms=%d peak_heap_mb=%d peak_rss_mb=%d rows=%d%n",
                engine, elapsedMs, peakHeapMb(), peakRssMb(), rows);
    }

    /** The sum of the peak usage of the heap's memory pools since the JVM started. */
    public static long peakHeapMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes >> 20;
    }

    /**
     * The process's peak resident memory (Linux {@code VmHWM}): what native engines such as DuckDB
     * use outside the Java heap; -1 where unknown.
     */
    public static long peakRssMb() {
        return peakRssMb(Path.of("/proc/self/status"));
    }

    /** The peak resident memory of the process whose {@code /proc/<pid>/status} is {@code status}; -1 where unknown. */
    public static long peakRssMb(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Reads the {@code --name value} pairs of an engine's command line. */
    public static Map<String, String> options(String[] args) {
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

    /** {@code yyyyMMddHH} (as in the file names) to the result's {@code yyyy-MM-ddTHH}. */
    public static String dateHour(String digits) {
        return digits.substring(0, 4) + "-" + digits.substring(4, 6) + "-" + digits.substring(6, 8) + "T"
                + digits.substring(8, 10);
    }

    /** Adds {@code n} events of a kind ({@code 0} impressions, {@code 1} clicks) to an hour. */
    public static void add(SortedMap<String, long[]> counts, String dateHour, int kind, long n) {
        counts.computeIfAbsent(dateHour, h -> new long[2])[kind] += n;
    }

    public static SortedMap<String, long[]> readResult(Path file) throws IOException {
        SortedMap<String, long[]> counts = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                String[] f = line.split(",");
                counts.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return counts;
    }

    public static void writeResult(Path file, Map<String, long[]> counts) throws IOException {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(counts)
                .forEach((hour, c) -> text.append(hour)
                        .append(',')
                        .append(c[0])
                        .append(',')
                        .append(c[1])
                        .append('\n'));
        Files.writeString(file, text);
    }

    public static boolean same(Map<String, long[]> a, Map<String, long[]> b) {
        return a.keySet().equals(b.keySet()) && a.keySet().stream().allMatch(k -> Arrays.equals(a.get(k), b.get(k)));
    }
}
