package org.impressionsclicks.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.impressionsclicks.config.JobOptions;
import org.impressionsclicks.model.DailyCsv;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.model.HourlyCount;
import org.impressionsclicks.source.EventFileName;

/**
 * Generates a dataset of upstream event files and the true counts of the reference user agent.
 *
 * <p>File times are spread evenly over the days, about three impression files to one click file;
 * each row's {@code creation_time} lies up to ten seconds before the name's time, inside the same
 * hour of {@link #ZONE}. User agents follow a Zipf-like skew over {@code userAgents} agents, agent
 * 0 being {@link #REFERENCE_USER_AGENT}. A {@code lateFraction} of the files is written last, so their
 * names are older than the newest ones already in the folder (late arrivals). Each file has
 * {@link RowsPerFile} events. Every file is written under a hidden name and renamed into place, in
 * order, so a watching job never sees half a file ({@link OrderedFileWriter}). The writing runs on
 * every core; the random draws and templates stay on the calling thread, so a seed gives the same
 * files however many cores there are.
 */
public final class DataGenerator {

    public static final String REFERENCE_USER_AGENT = "some user agent";
    /** The zone of the wall-clock times in the names: the job's default, so the defaults read the files right. */
    public static final ZoneId ZONE = JobOptions.DEFAULT_TIME_ZONE;

    private static final double ZIPF_EXPONENT = 1.1;
    private static final String[] BROWSERS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/101.0.4951.67 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 15_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.4 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:100.0) Gecko/20100101 Firefox/100.0",
        "Mozilla/5.0 (Linux; Android 12; SM-G991B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/101.0.4951.61 Mobile Safari/537.36",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/101.0.4951.64 Safari/537.36",
    };

    /** What to generate. */
    public record Spec(
            int files,
            RowsPerFile rowsPerFile,
            int days,
            LocalDate start,
            int userAgents,
            long seed,
            double lateFraction) {
        public Spec {
            if (files < 0 || days < 1 || userAgents < 1 || lateFraction < 0 || lateFraction > 1) {
                throw new IllegalArgumentException(
                        "files must be >= 0, days and user-agents >= 1, late-fraction in [0, 1]");
            }
        }
    }

    /** What was written: the files in write order, the event count, and the reference agent's true counts. */
    public record Result(List<Path> files, long events, Map<Long, HourlyCount> referenceCounts) {

        public long matchingEvents() {
            return referenceCounts.values().stream()
                    .mapToLong(h -> h.impressions + h.clicks)
                    .sum();
        }

        /** The reference agent's expected daily CSVs, keyed by date. */
        public Map<String, String> expectedCsvs() {
            Map<String, List<HourlyCount>> byDate = new TreeMap<>();
            referenceCounts
                    .values()
                    .forEach(h -> byDate.computeIfAbsent(
                                    DateHours.date(h.hourStart).toString(), d -> new ArrayList<>())
                            .add(h));
            Map<String, String> csvs = new TreeMap<>();
            byDate.forEach((date, hours) -> csvs.put(date, DailyCsv.format(hours)));
            return csvs;
        }

        /** Writes {@link #expectedCsvs()} as {@code <date>.csv} files into {@code dir}. */
        public void writeExpected(Path dir) throws IOException {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> e : expectedCsvs().entrySet()) {
                Files.writeString(dir.resolve(e.getKey() + ".csv"), e.getValue(), StandardCharsets.UTF_8);
            }
        }
    }

    private DataGenerator() {}

    public static Result generate(Path out, Spec spec) throws IOException {
        Files.createDirectories(out);
        Random random = new Random(spec.seed());
        String[] agents = agents(spec.userAgents());
        double[] cumulative = zipf(spec.userAgents());
        List<LocalDateTime> times = fileTimes(spec, random);
        Map<Long, HourlyCount> reference = new TreeMap<>();
        Map<TemplateKey, TemplateEventFileWriter> templates = new HashMap<>();
        long events = 0;
        try (OrderedFileWriter files =
                new OrderedFileWriter(out, Runtime.getRuntime().availableProcessors())) {
            for (int i = 0; i < times.size(); i++) {
                LocalDateTime time = times.get(i);
                EventKind kind = random.nextInt(4) == 0 ? EventKind.CLICK : EventKind.IMPRESSION;
                int count = spec.rowsPerFile().draw(random);
                long firstId = 160_000_000L + 10L * i;
                String name = EventFileName.format(kind, time, firstId + "-" + (firstId + 4), i % 2);
                List<GeneratedEvent> rows = new ArrayList<>(count);
                long nameMillis = time.atZone(ZONE).toInstant().toEpochMilli();
                long hourMillis = time.truncatedTo(ChronoUnit.HOURS)
                        .atZone(ZONE)
                        .toInstant()
                        .toEpochMilli();
                for (int r = 0; r < count; r++) {
                    int agent = draw(cumulative, random);
                    long created = Math.max(hourMillis, nameMillis - random.nextInt(10_000));
                    rows.add(new GeneratedEvent(agents[agent], created));
                    if (agent == 0) {
                        count(reference, created, kind);
                    }
                }
                long seed = random.nextLong();
                if (rows.isEmpty()) {
                    files.submit(name, hidden -> AdformParquetWriter.write(hidden, kind, rows, seed));
                } else {
                    // made here, in file order: the first file of a kind and count draws the fillers of all
                    TemplateKey key = new TemplateKey(kind, count);
                    TemplateEventFileWriter template = templates.get(key);
                    if (template == null) {
                        template = TemplateEventFileWriter.create(kind, rows, seed);
                        templates.put(key, template);
                    }
                    TemplateEventFileWriter writer = template;
                    files.submit(name, hidden -> writer.write(hidden, rows));
                }
                events += count;
            }
            return new Result(files.finish(), events, reference);
        }
    }

    /** File-name times spread over the days in ascending order, with the late share moved to the end. */
    private static List<LocalDateTime> fileTimes(Spec spec, Random random) {
        LocalDateTime start = spec.start().atStartOfDay();
        long spanMillis = Duration.ofDays(spec.days()).toMillis();
        List<LocalDateTime> times = new ArrayList<>(spec.files());
        for (int i = 0; i < spec.files(); i++) {
            long offset = (long) ((i + random.nextDouble()) * spanMillis / Math.max(1, spec.files()));
            times.add(start.plus(Duration.ofMillis(Math.min(offset, spanMillis - 1))));
        }
        int late = (int) Math.round(spec.files() * spec.lateFraction());
        List<LocalDateTime> lateTimes = new ArrayList<>();
        for (int n = 0; n < late && times.size() > 1; n++) {
            lateTimes.add(times.remove(random.nextInt(times.size() - 1))); // never the newest
        }
        Collections.sort(lateTimes);
        times.addAll(lateTimes);
        return times;
    }

    /** The files that share a template: one kind, one row count. */
    private record TemplateKey(EventKind kind, int rows) {}

    private static void count(Map<Long, HourlyCount> counts, long createdMillis, EventKind kind) {
        long hour = DateHours.hourStart(LocalDateTime.ofInstant(Instant.ofEpochMilli(createdMillis), ZONE));
        HourlyCount h = counts.computeIfAbsent(hour, k -> new HourlyCount(k, 0, 0));
        if (kind == EventKind.IMPRESSION) {
            h.impressions++;
        } else {
            h.clicks++;
        }
    }

    private static String[] agents(int n) {
        String[] agents = new String[n];
        agents[0] = REFERENCE_USER_AGENT;
        for (int i = 1; i < n; i++) {
            agents[i] = BROWSERS[(i - 1) % BROWSERS.length] + (i > BROWSERS.length ? " build/" + i : "");
        }
        return agents;
    }

    private static double[] zipf(int n) {
        double[] cumulative = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, ZIPF_EXPONENT);
            cumulative[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cumulative[k] /= sum;
        }
        return cumulative;
    }

    private static int draw(double[] cumulative, Random random) {
        double u = random.nextDouble();
        int i = java.util.Arrays.binarySearch(cumulative, u);
        return Math.min(cumulative.length - 1, i >= 0 ? i : -i - 1);
    }
}
