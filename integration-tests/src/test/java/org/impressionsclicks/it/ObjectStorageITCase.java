package org.impressionsclicks.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.impressionsclicks.model.EventKind.CLICK;
import static org.impressionsclicks.model.EventKind.IMPRESSION;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.impressionsclicks.ImpressionsClicksJob;
import org.impressionsclicks.config.JobConfig;
import org.impressionsclicks.config.ProcessedFilesMode;
import org.impressionsclicks.sink.ProcessedFilesSink;
import org.impressionsclicks.testing.Await;
import org.impressionsclicks.testing.DailyOutputs;
import org.impressionsclicks.testing.EventFiles;
import org.impressionsclicks.testing.HourlyRows;
import org.impressionsclicks.testing.Jobs;
import org.impressionsclicks.testing.MiniClusters;
import org.impressionsclicks.testing.PostgresDatabase;
import org.impressionsclicks.testing.PostgresExtension;
import org.impressionsclicks.testing.S3Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on object storage: input, output, checkpoints and savepoints in a bucket of a local
 * S3-compatible server (S3Proxy), reached through Flink's own S3 file system ({@code flink-s3-fs-hadoop},
 * loaded as a plugin) configured with Flink's standard keys ({@code s3.endpoint},
 * {@code s3.path.style.access}, credentials). The daily CSVs go through the FileSink's S3
 * RecoverableWriter (multipart uploads).
 */
@ExtendWith(PostgresExtension.class)
class ObjectStorageITCase {

    private static final String BUCKET = "impressions-clicks";

    @RegisterExtension
    @Order(1)
    static final S3Server S3 = new S3Server(BUCKET);

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(S3.flinkConfig())
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(MiniClusters.PARALLELISM)
                    .build());

    private static final String TABLE = "csv_data_task";
    private static final String HEADER = "date,hour,impression_count,click_count\n";

    @TempDir
    java.nio.file.Path staging;

    private EventFiles files;
    private JobClient job;
    private final PostgresDatabase db;

    ObjectStorageITCase(PostgresDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() throws Exception {
        files = new EventFiles(staging);
        HourlyRows.drop(db, TABLE);
    }

    @AfterEach
    void cancel() throws Exception {
        if (job != null && !job.getJobStatus().get().isTerminalState()) {
            Jobs.cancel(job);
        }
    }

    private static Path s3(String key) {
        return new Path("s3://" + BUCKET + "/" + key);
    }

    /** Writes an event file locally and uploads it into {@code prefix} in one PUT, as upstream would. */
    private String drop(Path prefix, org.impressionsclicks.model.EventKind kind, String time, int matching, int others)
            throws Exception {
        java.nio.file.Path file = files.write(kind, time, matching, others);
        S3Server.put(file, new Path(prefix, file.getFileName().toString()));
        return file.getFileName().toString();
    }

    private JobClient start(JobConfig config, Configuration flinkConfig, Path checkpoints) throws Exception {
        flinkConfig.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toString());
        MiniClusters.restartQuickly(flinkConfig);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfig);
        env.setParallelism(MiniClusters.PARALLELISM);
        env.enableCheckpointing(500);
        ImpressionsClicksJob.build(env, config.noDb ? config : withDatabase(config));
        return env.executeAsync(ImpressionsClicksJob.JOB_NAME);
    }

    private JobConfig withDatabase(JobConfig config) {
        return config.withDatabaseAt(db.jdbcUrl(), db.user());
    }

    private static JobConfig watching(Path input, Path output, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--monitor-interval",
                "200 ms",
                "--out-of-orderness",
                "0 s",
                "--idle-timeout",
                "1 s",
                "--jdbc-max-retries",
                "0"));
        args.addAll(List.of(extra));
        return Jobs.config(input.toString(), output.toString(), args.toArray(new String[0]));
    }

    private void awaitRows(List<String> rows) throws Exception {
        Await.until(
                Duration.ofSeconds(90),
                "rows " + rows,
                () -> HourlyRows.read(db, TABLE).equals(rows));
    }

    @Test
    void watchesABucketAcrossAStopWithSavepointInTheBucketAndCountsEveryFileOnce() throws Exception {
        Path input = s3("watch/raw_data");
        Path output = s3("watch/output");
        Path checkpoints = s3("watch/checkpoints");
        JobConfig config = watching(input, output);
        job = start(config, new Configuration(), checkpoints);
        drop(input, IMPRESSION, "2022-05-26T11:32:12.045", 4, 1);
        drop(input, IMPRESSION, "2022-05-26T19:32:04.695", 7, 1);
        awaitRows(List.of("2022-05-26T11:00,4,0", "2022-05-26T19:00,7,0"));
        Path jobCheckpoints = new Path(checkpoints, job.getJobID().toString());
        Await.until(
                Duration.ofSeconds(60),
                "a completed checkpoint in " + jobCheckpoints,
                () -> completedCheckpoint(jobCheckpoints));

        String savepoint = job.stopWithSavepoint(
                        false, s3("watch/savepoints").toString(), SavepointFormatType.CANONICAL)
                .get();
        assertThat(savepoint).startsWith("s3://" + BUCKET + "/watch/savepoints/");
        assertThat(S3Server.names(new Path(savepoint))).contains("_metadata");
        drop(input, IMPRESSION, "2022-05-26T19:32:04.903", 3, 1); // arrives while the job is down

        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        job = start(config, restore, checkpoints);
        awaitRows(List.of("2022-05-26T11:00,4,0", "2022-05-26T19:00,10,0"));
        drop(input, CLICK, "2022-05-27T11:31:45.108", 5, 1); // closes 2022-05-26
        awaitRows(List.of("2022-05-26T11:00,4,0", "2022-05-26T19:00,10,0", "2022-05-27T11:00,0,5"));
        Await.until(
                Duration.ofSeconds(60),
                "the CSV of 2022-05-26 in the bucket",
                () -> (HEADER + "2022-05-26,11,4,0\n2022-05-26,19,10,0\n")
                        .equals(DailyOutputs.currentCsvs(output).get("2022-05-26")));
        assertThat(DailyOutputs.finishedFiles(output).get("2022-05-26")).hasSize(1);
        assertThat(S3Server.names(input)).hasSize(4); // --processed keep
    }

    @Test
    void aBackfillOfABucketWritesTheReferenceCsvsAndRows() throws Exception {
        Path input = s3("backfill/raw_data");
        Path output = s3("backfill/output");
        for (Map.Entry<String, Integer> file : GeneratedReferenceITCase.REFERENCE_FILES.entrySet()) {
            S3Server.put(files.write(file.getKey(), file.getValue(), 0), new Path(input, file.getKey()));
        }
        JobConfig config = Jobs.config(input.toString(), output.toString(), "--bounded");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(MiniClusters.PARALLELISM);
        ImpressionsClicksJob.execute(env, withDatabase(config));

        assertThat(DailyOutputs.currentCsvs(output)).isEqualTo(ReferenceParityBase.REFERENCE_CSVS);
        assertThat(DailyOutputs.finishedFiles(output))
                .allSatisfy((date, csvs) -> assertThat(csvs).hasSize(1));
        assertThat(HourlyRows.read(db, TABLE)).isEqualTo(ReferenceParityBase.REFERENCE_ROWS);
    }

    @Test
    void archivesProcessedObjectsToTheArchivePrefixOnceTheirDayIsCommitted() throws Exception {
        Path input = s3("archive/raw_data");
        Path output = s3("archive/output");
        Path archive = s3("archive/archived");
        JobConfig config =
                watching(input, output, "--no-db", "--processed", "archive", "--archive-dir", archive.toString());
        job = start(config, new Configuration(), s3("archive/checkpoints"));
        String a = drop(input, IMPRESSION, "2022-05-26T11:32:12.045", 4, 1);
        String b = drop(input, CLICK, "2022-05-26T19:32:04.695", 2, 0);

        String next = drop(input, IMPRESSION, "2022-05-27T00:10:00.000", 1, 0); // closes 2022-05-26
        Await.until(
                Duration.ofSeconds(90),
                "the day's files in the archive prefix",
                () -> S3Server.names(archive)
                        .equals(List.of(a, b).stream().sorted().toList()));
        Await.until(
                Duration.ofSeconds(30),
                "the day's files gone from the input prefix",
                () -> S3Server.names(input).equals(List.of(next)));
        assertThat(DailyOutputs.currentCsvs(output))
                .containsEntry("2022-05-26", HEADER + "2022-05-26,11,4,0\n2022-05-26,19,0,2\n");
        assertThat(DailyOutputs.finishedFiles(output).get("2022-05-26")).hasSize(1);
    }

    @Test
    void anArchiveReplayedAfterACrashBetweenCopyAndDeleteEndsWithTheFileArchivedOnce() throws Exception {
        Path input = s3("replay/raw_data");
        Path archive = s3("replay/archived");
        java.nio.file.Path file = files.write(IMPRESSION, "2022-05-26T11:32:12.045", 4, 1);
        String name = file.getFileName().toString();
        S3Server.put(file, new Path(input, name));
        S3Server.put(file, new Path(archive, name)); // copied by the attempt that crashed before its delete
        byte[] original = java.nio.file.Files.readAllBytes(file);
        ProcessedFilesSink sink =
                new ProcessedFilesSink(ProcessedFilesMode.ARCHIVE, input.toString(), archive.toString());

        try (Committer<String> committer = sink.createCommitter(null)) {
            Request replay = new Request(name);
            committer.commit(List.of(replay));
            assertThat(replay.alreadyCommitted).isFalse();
            assertThat(S3Server.names(input)).isEmpty();
            assertThat(S3Server.names(archive)).containsExactly(name);
            assertThat(read(new Path(archive, name))).isEqualTo(original);

            Request again = new Request(name); // and once more, after the delete
            committer.commit(List.of(again));
            assertThat(again.alreadyCommitted).isTrue();
            assertThat(S3Server.names(archive)).containsExactly(name);
        }
    }

    /** Whether {@code jobCheckpoints} holds a {@code chk-<n>} folder with its {@code _metadata}. */
    private static boolean completedCheckpoint(Path jobCheckpoints) throws Exception {
        FileSystem fs = jobCheckpoints.getFileSystem();
        if (!fs.exists(jobCheckpoints)) {
            return false;
        }
        for (var status : fs.listStatus(jobCheckpoints)) {
            if (status.isDir()
                    && status.getPath().getName().startsWith("chk-")
                    && S3Server.names(status.getPath()).contains("_metadata")) {
                return true;
            }
        }
        return false;
    }

    private static byte[] read(Path path) throws Exception {
        FileSystem fs = path.getFileSystem();
        try (var in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    /** A committable as the sink's committer gets it after a restore. */
    private static final class Request implements Committer.CommitRequest<String> {
        private final String file;
        boolean alreadyCommitted;

        Request(String file) {
            this.file = file;
        }

        @Override
        public String getCommittable() {
            return file;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            throw new AssertionError("failed", t);
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            throw new AssertionError("failed", t);
        }

        @Override
        public void retryLater() {
            throw new AssertionError("retry later");
        }

        @Override
        public void updateAndRetryLater(String committable) {
            throw new AssertionError("retry later");
        }

        @Override
        public void signalAlreadyCommitted() {
            alreadyCommitted = true;
        }
    }
}
