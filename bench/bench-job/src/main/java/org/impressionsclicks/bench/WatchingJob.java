package org.impressionsclicks.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.impressionsclicks.generate.DataGenerator;

/**
 * The job watching a folder, in a JVM of its own ({@link JobEngine} with a checkpoint folder): its
 * defaults (listing interval, checkpoint interval, JDBC batching), the web UI on a free port,
 * checkpoints, CSVs and its leftovers in a run folder. Stopped (and its JVM with it) by {@link #close}.
 */
final class WatchingJob implements AutoCloseable {

    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final BenchDatabase db;
    final Path checkpoints;

    /**
     * Starts the job on {@code watched} and returns once it runs.
     *
     * @param processed the job's {@code --processed} mode: what happens to a file once its day is final
     */
    WatchingJob(Engines engines, BenchDatabase db, Path watched, Path runDir, String processed) throws Exception {
        this.db = db;
        this.checkpoints = Files.createDirectories(runDir.resolve("checkpoints"));
        int webPort = freePort();
        this.process = engines.start(
                "job",
                List.of(
                        "--input",
                        watched.toString(),
                        "--user-agent",
                        DataGenerator.REFERENCE_USER_AGENT,
                        "--out",
                        runDir.resolve("unused").toString(),
                        "--output",
                        runDir.resolve("output").toString(),
                        "--checkpoint-dir",
                        checkpoints.toString(),
                        "--web-port",
                        String.valueOf(webPort),
                        "--processed",
                        processed),
                output);
        try {
            awaitRunning(webPort);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /**
     * Polls the table every 10 ms until its rows are exactly {@code expected} and returns the
     * {@link System#nanoTime} at which a read showed that, or -1 if that did not happen by
     * {@code deadlineNanos} (or the job ended).
     */
    long awaitTable(Map<String, long[]> expected, long deadlineNanos) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url, db.user, null);
                Statement s = c.createStatement()) {
            while (System.nanoTime() < deadlineNanos && process.isAlive()) {
                try {
                    boolean same = EngineReport.same(BenchDatabase.readHours(s), expected);
                    long now = System.nanoTime();
                    if (same) {
                        return now;
                    }
                } catch (SQLException notYet) {
                    // the table is created when the job starts
                }
                Thread.sleep(10);
            }
        }
        return -1;
    }

    /** The peak resident memory of the job's JVM so far (Linux {@code VmHWM}), -1 where unknown. */
    long peakRssMb() {
        return EngineReport.peakRssMb(Path.of("/proc", String.valueOf(process.pid()), "status"));
    }

    /** The job's last output lines, for a failure message. */
    String outputTail() {
        synchronized (output) {
            return String.join("\n  ", output.subList(Math.max(0, output.size() - 30), output.size()));
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    private void awaitRunning(int webPort) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 600; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the streaming job ended:\n  " + outputTail());
            }
            try {
                String body = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/jobs/overview"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                if (body.contains("\"state\":\"RUNNING\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // the web UI is not up yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the streaming job did not start within 60 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
