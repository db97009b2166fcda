package org.impressionsclicks.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.impressionsclicks.model.FileCount;
import org.impressionsclicks.model.HourlyCount;
import org.impressionsclicks.source.EventFileName;
import org.impressionsclicks.source.EventFileReader;
import org.impressionsclicks.source.TimeSource;
import org.impressionsclicks.source.UserAgentMatcher;
import org.impressionsclicks.testing.ParquetFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataGeneratorTest {

    @TempDir java.nio.file.Path dir;

    private static final DataGenerator.Spec SPEC = new DataGenerator.Spec(12, 150, 2, LocalDate.of(2022, 5, 26), 5, 42, 0.25);

    @Test
    void writesTheFilesItReportsUnderUpstreamNamesInTheFullSchemaAndNothingHidden() throws Exception {
        DataGenerator.Result result = DataGenerator.generate(dir, SPEC);
        List<String> names;
        try (Stream<java.nio.file.Path> files = Files.list(dir)) {
            names = files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        assertThat(names).hasSize(12).allSatisfy(n -> assertThat(EventFileName.parse(n)).isPresent());
        assertThat(result.files()).hasSize(12);
        assertThat(result.events()).isEqualTo(12 * 150);
        for (java.nio.file.Path file : result.files()) {
            assertThat(ParquetFiles.schema(file)).isEqualTo(AdformSchemas.forKind(EventFileName.parse(file.getFileName().toString()).orElseThrow().kind()));
        }
    }

    @Test
    void everyColumnOfAGeneratedFileAssemblesIntoWholeRecords() throws Exception {
        DataGenerator.Result result = DataGenerator.generate(dir, SPEC);
        for (java.nio.file.Path file : result.files().subList(0, 3)) {
            EventFileName name = EventFileName.parse(file.getFileName().toString()).orElseThrow();
            long hourStart = name.timestamp().truncatedTo(java.time.temporal.ChronoUnit.HOURS)
                    .atZone(DataGenerator.ZONE).toInstant().toEpochMilli();
            long nameTime = name.timestamp().atZone(DataGenerator.ZONE).toInstant().toEpochMilli();
            int rows = 0;
            try (ParquetReader<Group> reader = new ParquetReader.Builder<Group>(ParquetFiles.input(file)) {
                @Override
                protected ReadSupport<Group> getReadSupport() {
                    return new GroupReadSupport();
                }
            }.build()) {
                for (Group row = reader.read(); row != null; row = reader.read()) {
                    rows++;
                    // all ~545 columns are assembled; the copied filler chunks and the fresh job
                    // columns line up row by row
                    assertThat(row.getType()).isEqualTo(AdformSchemas.forKind(name.kind()));
                    long created = row.getGroup("transaction_header", 0).getLong("creation_time", 0);
                    assertThat(created).isBetween(hourStart, nameTime);
                }
            }
            assertThat(rows).isEqualTo(SPEC.rowsPerFile());
        }
    }

    @Test
    void expectedCountsEqualARecountOfTheWrittenFilesByTheJobsReader() throws Exception {
        DataGenerator.Result result = DataGenerator.generate(dir, SPEC);
        EventFileReader reader = new EventFileReader(new UserAgentMatcher(DataGenerator.REFERENCE_USER_AGENT), TimeSource.RECORD, ZoneId.of("Europe/Copenhagen"));
        Map<Long, HourlyCount> recount = new HashMap<>();
        for (java.nio.file.Path file : result.files()) {
            String name = file.getFileName().toString();
            for (FileCount c : reader.read(EventFileName.parse(name).orElseThrow(), name, ParquetFiles.input(file))) {
                HourlyCount h = recount.computeIfAbsent(c.hourStart, k -> new HourlyCount(k, 0, 0));
                h.impressions += c.impressions;
                h.clicks += c.clicks;
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
        assertThat(Files.readAllBytes(b.files().get(3))).isEqualTo(Files.readAllBytes(a.files().get(3)));
    }

    @Test
    void lateFilesAreWrittenAfterNewerOnes() throws Exception {
        DataGenerator.Result result = DataGenerator.generate(dir, SPEC);
        List<String> order = new ArrayList<>();
        result.files().forEach(f -> order.add(EventFileName.parse(f.getFileName().toString()).orElseThrow().timestamp().toString()));
        List<String> sorted = new ArrayList<>(order);
        sorted.sort(null);
        assertThat(order).isNotEqualTo(sorted);
        assertThat(order.subList(0, 9)).isSorted();
    }

    /**
     * {@code raw_data/} holds the README's sample, written by the generator as it was before files
     * were patched from a converted footer; it must still give those bytes (parquet-java's
     * unordered encodings lists aside).
     */
    @Test
    void theReadmeSampleInRawDataIsStillWhatTheGeneratorWrites() throws Exception {
        java.nio.file.Path sample = java.nio.file.Path.of("..", "raw_data");
        DataGenerator.Result result = DataGenerator.generate(dir, new DataGenerator.Spec(12, 40, 2, LocalDate.of(2022, 5, 26), 20, 7, 0.0));
        for (java.nio.file.Path file : result.files()) {
            assertThat(Files.readAllBytes(file)).as(file.getFileName().toString())
                    .isEqualTo(ParquetFiles.withSortedEncodings(sample.resolve(file.getFileName())));
        }
    }

    @Test
    void theCommandRejectsBadOptionsWithOneLineAndExitCode2() {
        assertThat(run("--files", "3")).startsWith("2|impressions-clicks generate: option --out is required");
        assertThat(run("--out", dir.toString(), "--files", "x", "--rows-per-file", "1")).startsWith("2|impressions-clicks generate: ");
        assertThat(run("--out", dir.toString(), "--files", "1", "--rows-per-file", "1", "--late-fraction", "2"))
                .startsWith("2|impressions-clicks generate: files and rows-per-file must be");
        assertThat(run("--bogus")).startsWith("2|impressions-clicks generate: unknown option --bogus");
        assertThat(run("--out", dir.resolve("data").toString(), "--files", "2", "--rows-per-file", "3", "--expected", dir.resolve("exp").toString()))
                .startsWith("0|");
        assertThat(dir.resolve("exp")).isDirectory();
    }

    private static String run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = GenerateCommand.run(args);
            String text = captured.toString(StandardCharsets.UTF_8);
            assertThat(text.lines().count()).isLessThanOrEqualTo(1);
            return code + "|" + text.trim();
        } finally {
            System.setErr(err);
        }
    }
}
