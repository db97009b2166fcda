package org.impressionsclicks.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.impressionsclicks.model.DailyCsv;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.model.FileHour;
import org.impressionsclicks.model.HourlyCount;
import org.impressionsclicks.source.EventFileName;
import org.impressionsclicks.source.EventFileReader;
import org.impressionsclicks.source.TimeSource;
import org.impressionsclicks.source.UserAgentMatcher;
import org.impressionsclicks.testing.ParquetFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DataGeneratorTest {

    @TempDir
    java.nio.file.Path dir;

    private static final DataGenerator.Spec SPEC =
            new DataGenerator.Spec(12, RowsPerFile.exactly(150), 2, LocalDate.of(2022, 5, 26), 5, 42, 0.25);
    /** Real-shaped: 3 to 7 events per file, over four days. */
    private static final DataGenerator.Spec RANGE =
            new DataGenerator.Spec(40, new RowsPerFile(3, 7), 4, LocalDate.of(2022, 5, 26), 5, 42, 0.25);

    @Test
    void writesTheFilesItReportsUnderUpstreamNamesInTheFullSchemaAndNothingHidden() throws Exception {
        DataGenerator.Result result = DataGenerator.generate(dir, SPEC);
        List<String> names;
        try (Stream<java.nio.file.Path> files = Files.list(dir)) {
            names = files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        assertThat(names)
                .hasSize(12)
                .allSatisfy(n -> assertThat(EventFileName.parse(n)).isPresent());
        assertThat(result.files()).hasSize(12);
        assertThat(result.events()).isEqualTo(12 * 150);
        for (java.nio.file.Path file : result.files()) {
            assertThat(ParquetFiles.schema(file))
                    .isEqualTo(AdformSchemas.forKind(
                            EventFileName.parse(file.getFileName().toString())
                                    .orElseThrow()
                                    .kind()));
        }
    }

    static Stream<DataGenerator.Spec> specs() {
        return Stream.of(SPEC, RANGE);
    }

    @ParameterizedTest
    @MethodSource("specs")
    void everyColumnOfAGeneratedFileAssemblesIntoWholeRecords(DataGenerator.Spec spec) throws Exception {
        DataGenerator.Result result = DataGenerator.generate(dir, spec);
        long events = 0;
        for (java.nio.file.Path file : result.files()) {
            EventFileName name =
                    EventFileName.parse(file.getFileName().toString()).orElseThrow();
            long hourStart = name.timestamp()
                    .truncatedTo(java.time.temporal.ChronoUnit.HOURS)
                    .atZone(DataGenerator.ZONE)
                    .toInstant()
                    .toEpochMilli();
            long nameTime =
                    name.timestamp().atZone(DataGenerator.ZONE).toInstant().toEpochMilli();
            List<Group> rows = records(file);
            for (Group row : rows) {
                // all ~545 columns are assembled; the copied filler chunks and the fresh job
                // columns line up row by row
                assertThat(row.getType()).isEqualTo(AdformSchemas.forKind(name.kind()));
                long created = row.getGroup("transaction_header", 0).getLong("creation_time", 0);
                assertThat(created).isBetween(hourStart, nameTime);
            }
            assertThat(rows.size())
                    .isBetween(spec.rowsPerFile().min(), spec.rowsPerFile().max());
            events += rows.size();
        }
        assertThat(events).isEqualTo(result.events());
    }

    @Test
    void aRangeDrawsEachFilesCountWithinItFromTheSeed(
            @TempDir java.nio.file.Path again, @TempDir java.nio.file.Path otherSeed) throws Exception {
        DataGenerator.Result result = DataGenerator.generate(dir, RANGE);
        List<Integer> counts = new ArrayList<>();
        for (java.nio.file.Path file : result.files()) {
            counts.add(records(file).size());
        }
        assertThat(counts).allSatisfy(c -> assertThat(c).isBetween(3, 7)).contains(3, 4, 5, 6, 7);
        assertThat(counts.stream().mapToLong(Integer::longValue).sum()).isEqualTo(result.events());

        DataGenerator.Result same = DataGenerator.generate(again, RANGE);
        assertThat(same.files()).hasSameSizeAs(result.files());
        for (int i = 0; i < result.files().size(); i++) {
            assertThat(same.files().get(i).getFileName())
                    .isEqualTo(result.files().get(i).getFileName());
            assertThat(Files.readAllBytes(same.files().get(i)))
                    .isEqualTo(Files.readAllBytes(result.files().get(i)));
        }
        assertThat(same.referenceCounts()).isEqualTo(result.referenceCounts());

        DataGenerator.Result other = DataGenerator.generate(
                otherSeed,
                new DataGenerator.Spec(40, new RowsPerFile(3, 7), 4, LocalDate.of(2022, 5, 26), 5, 43, 0.25));
        List<Integer> otherCounts = new ArrayList<>();
        for (java.nio.file.Path file : other.files()) {
            otherCounts.add(records(file).size());
        }
        assertThat(otherCounts).isNotEqualTo(counts);
    }

    /**
     * The expected CSVs are what the job must produce; here they are checked against a count of
     * the files as parquet-java's full record reader reads them back, not the job's reader.
     */
    @Test
    void theExpectedCsvsOfARangeEqualACountOfTheFilesReadBackByParquetJava() throws Exception {
        java.nio.file.Path data = dir.resolve("data");
        java.nio.file.Path expected = dir.resolve("expected");
        assertThat(GenerateCommand.run(new String[] {
                    "--out",
                    data.toString(),
                    "--files",
                    "60",
                    "--rows-per-file",
                    "3-7",
                    "--days",
                    "3",
                    "--seed",
                    "5",
                    "--late-fraction",
                    "0.1",
                    "--expected",
                    expected.toString()
                }))
                .isZero();
        Map<Long, HourlyCount> recount = new TreeMap<>();
        long events = 0;
        try (Stream<java.nio.file.Path> files = Files.list(data)) {
            for (java.nio.file.Path file : files.collect(Collectors.toList())) {
                EventFileName name =
                        EventFileName.parse(file.getFileName().toString()).orElseThrow();
                for (Group row : records(file)) {
                    events++;
                    Group device = row.getGroup("device_settings", 0);
                    if (device.getFieldRepetitionCount("user_agent") == 1
                            && device.getString("user_agent", 0).equals(DataGenerator.REFERENCE_USER_AGENT)) {
                        long created = row.getGroup("transaction_header", 0).getLong("creation_time", 0);
                        long hour = DateHours.hourStart(
                                LocalDateTime.ofInstant(Instant.ofEpochMilli(created), DataGenerator.ZONE));
                        HourlyCount h = recount.computeIfAbsent(hour, k -> new HourlyCount(k, 0, 0));
                        if (name.kind() == EventKind.IMPRESSION) {
                            h.impressions++;
                        } else {
                            h.clicks++;
                        }
                    }
                }
            }
        }
        assertThat(events).isBetween(60L * 3, 60L * 7);
        Map<String, List<HourlyCount>> byDate = new TreeMap<>();
        recount.values()
                .forEach(h -> byDate.computeIfAbsent(DateHours.date(h.hourStart).toString(), d -> new ArrayList<>())
                        .add(h));
        Map<String, String> csvs = new TreeMap<>();
        byDate.forEach((date, hours) -> csvs.put(date + ".csv", DailyCsv.format(hours)));
        Map<String, String> written = new TreeMap<>();
        try (Stream<java.nio.file.Path> files = Files.list(expected)) {
            for (java.nio.file.Path file : files.collect(Collectors.toList())) {
                written.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        assertThat(written).hasSize(3).isEqualTo(csvs);
    }

    /**
     * {@code raw_data/} holds the README's sample, written by the generator as it was before files
     * were patched from a converted footer and written in parallel; a fixed count must still give
     * those bytes (parquet-java's unordered encodings lists aside).
     */
    @Test
    void theReadmeSampleInRawDataIsStillWhatTheGeneratorWrites() throws Exception {
        java.nio.file.Path sample = java.nio.file.Path.of("..", "raw_data");
        DataGenerator.Result result = DataGenerator.generate(
                dir, new DataGenerator.Spec(12, RowsPerFile.exactly(40), 2, LocalDate.of(2022, 5, 26), 20, 7, 0.0));
        for (java.nio.file.Path file : result.files()) {
            assertThat(Files.readAllBytes(file))
                    .as(file.getFileName().toString())
                    .isEqualTo(ParquetFiles.withSortedEncodings(sample.resolve(file.getFileName())));
        }
    }

    @Test
    void expectedCountsEqualARecountOfTheWrittenFilesByTheJobsReader() throws Exception {
        DataGenerator.Result result = DataGenerator.generate(dir, SPEC);
        EventFileReader reader = new EventFileReader(
                new UserAgentMatcher(DataGenerator.REFERENCE_USER_AGENT), TimeSource.RECORD, DataGenerator.ZONE);
        Map<Long, HourlyCount> recount = new HashMap<>();
        for (java.nio.file.Path file : result.files()) {
            String name = file.getFileName().toString();
            for (FileHour c :
                    reader.read(EventFileName.parse(name).orElseThrow(), name, ParquetFiles.input(file)).hours) {
                HourlyCount h = recount.computeIfAbsent(c.hourStart, k -> new HourlyCount(k, 0, 0));
                h.impressions += c.impressions();
                h.clicks += c.clicks();
            }
        }
        recount.values().removeIf(h -> h.impressions + h.clicks == 0);
        assertThat(recount).isEqualTo(result.referenceCounts());
        assertThat(result.matchingEvents()).isGreaterThan(0).isLessThan(result.events());
    }

    @Test
    void theSameSeedGivesTheSameData(@TempDir java.nio.file.Path other) throws Exception {
        DataGenerator.Result a = DataGenerator.generate(dir, SPEC);
        DataGenerator.Result b = DataGenerator.generate(other, SPEC);
        assertThat(b.referenceCounts()).isEqualTo(a.referenceCounts());
        List<String> namesA = new ArrayList<>();
        a.files().forEach(f -> namesA.add(f.getFileName().toString()));
        List<String> namesB = new ArrayList<>();
        b.files().forEach(f -> namesB.add(f.getFileName().toString()));
        assertThat(namesB).isEqualTo(namesA);
        assertThat(Files.readAllBytes(b.files().get(3)))
                .isEqualTo(Files.readAllBytes(a.files().get(3)));
    }

    @Test
    void lateFilesAreWrittenAfterNewerOnes() throws Exception {
        DataGenerator.Result result = DataGenerator.generate(dir, SPEC);
        List<String> order = new ArrayList<>();
        result.files()
                .forEach(f -> order.add(EventFileName.parse(f.getFileName().toString())
                        .orElseThrow()
                        .timestamp()
                        .toString()));
        List<String> sorted = new ArrayList<>(order);
        sorted.sort(null);
        assertThat(order).isNotEqualTo(sorted);
        assertThat(order.subList(0, 9)).isSorted();
    }

    /** Every record of the file, all columns assembled by parquet-java's example model. */
    static List<Group> records(java.nio.file.Path file) throws java.io.IOException {
        List<Group> rows = new ArrayList<>();
        try (ParquetReader<Group> reader = new ParquetReader.Builder<Group>(ParquetFiles.input(file)) {
            @Override
            protected ReadSupport<Group> getReadSupport() {
                return new GroupReadSupport();
            }
        }.build()) {
            for (Group row = reader.read(); row != null; row = reader.read()) {
                rows.add(row);
            }
        }
        return rows;
    }
}
