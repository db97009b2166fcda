package org.impressionsclicks.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.impressionsclicks.testing.DailyOutputs;
import org.impressionsclicks.testing.MiniClusters;
import org.impressionsclicks.testing.PostgresDatabase;
import org.impressionsclicks.testing.PostgresExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reference parity on the real sample files of {@code ../shared/seed-data} (beside the checkout in
 * CI). Its twin {@link GeneratedReferenceITCase} runs the same checks on generated files, so a
 * clone without {@code ../shared} tests the same behaviour.
 */
@ExtendWith(PostgresExtension.class)
class SeedReferenceITCase extends ReferenceParityBase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension();

    private static final Path SEED = Path.of(System.getProperty("seed.dir", "../../shared/seed-data"));
    private static PostgresDatabase db;

    @BeforeAll
    static void setUp(PostgresDatabase database) {
        assumeTrue(
                Files.isDirectory(SEED.resolve("raw_data")),
                "../shared/seed-data is not beside the checkout; GeneratedReferenceITCase covers the same checks");
        db = database;
    }

    @Override
    Path inputDir() {
        return SEED.resolve("raw_data");
    }

    @Override
    Map<String, String> expectedCsvs() {
        return DailyOutputs.expectedCsvs(SEED.resolve("expected_output"));
    }

    @Override
    PostgresDatabase database() {
        return db;
    }
}
