package org.impressionsclicks.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.impressionsclicks.testing.EventFiles;
import org.impressionsclicks.testing.MiniClusters;
import org.impressionsclicks.testing.PostgresDatabase;
import org.impressionsclicks.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The twin of {@link SeedReferenceITCase}: the same checks on generated files with the reference
 * example's names and row counts (every row of the reference user agent, creation times in the
 * name's hour), written in the full nested schema. Runs on a fresh clone without {@code ../shared}.
 */
@ExtendWith(PostgresExtension.class)
class GeneratedReferenceITCase extends ReferenceParityBase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension();

    /** The eleven reference files: name and number of rows. */
    static final Map<String, Integer> REFERENCE_FILES = new LinkedHashMap<>();

    static {
        REFERENCE_FILES.put("clicks_processed_dk_20220527113145108_163644805-163644809_1.parquet", 5);
        REFERENCE_FILES.put("clicks_processed_dk_20220527113145201_163587236-163587240_0.parquet", 5);
        REFERENCE_FILES.put("clicks_processed_dk_20220527120143730_163587241-163587247_0.parquet", 7);
        REFERENCE_FILES.put("clicks_processed_dk_20220527120143900_163644810-163644812_1.parquet", 3);
        REFERENCE_FILES.put("clicks_processed_dk_20220527123154754_163644813-163644819_1.parquet", 7);
        REFERENCE_FILES.put("clicks_processed_dk_20220527123154813_163587248-163587250_0.parquet", 3);
        REFERENCE_FILES.put("impressions_processed_dk_20220526113212045_172845633-172845636_1.parquet", 4);
        REFERENCE_FILES.put("impressions_processed_dk_20220526193204695_172756391-172756397_0.parquet", 7);
        REFERENCE_FILES.put("impressions_processed_dk_20220526193204903_172845709-172845711_1.parquet", 3);
        REFERENCE_FILES.put("impressions_processed_dk_20220527123154212_172756551-172756554_0.parquet", 4);
        REFERENCE_FILES.put("impressions_processed_dk_20220527123154402_172845889-172845894_1.parquet", 6);
    }

    private static Path input;
    private static PostgresDatabase db;

    @BeforeAll
    static void writeFiles(PostgresDatabase database) throws Exception {
        db = database;
        input = Files.createTempDirectory("generated-reference");
        Path staging = Files.createDirectories(input.resolve(".staging")); // hidden: the job ignores it
        EventFiles files = new EventFiles(staging);
        for (Map.Entry<String, Integer> file : REFERENCE_FILES.entrySet()) {
            EventFiles.moveInto(files.write(file.getKey(), file.getValue(), 0), input);
        }
    }

    @AfterAll
    static void deleteFiles() throws Exception {
        try (var paths = Files.walk(input)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Override
    Path inputDir() {
        return input;
    }

    @Override
    Map<String, String> expectedCsvs() {
        return REFERENCE_CSVS;
    }

    @Override
    PostgresDatabase database() {
        return db;
    }
}
