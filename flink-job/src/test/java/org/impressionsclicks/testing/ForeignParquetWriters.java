package org.impressionsclicks.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.impressionsclicks.model.EventKind;

/**
 * Event files in the job's nested schema from Parquet writers that are not parquet-java: DuckDB, Polars
 * and arrow-rs (through parquet-wasm), written at test time by {@code foreign-writers/write-files.mjs}
 * (test resources) under Node.js, together with what the job must count in each.
 *
 * <p>The npm packages are pinned by the committed {@code package.json} and {@code package-lock.json}
 * beside the script and installed on first use, with {@code npm install}, into a folder named after
 * the lock file's hash under the system property {@code foreign-writers.dir} (the parent pom's: the
 * root's {@code target/foreign-writers/}, one install for every module; without it {@code
 * target/foreign-writers/} of the module); later runs reuse it, and npm's own cache makes a reinstall after
 * {@code mvn clean} quick. {@code nodejs-polars-linux-x64-gnu} is a direct
 * dependency because npm leaves that optional native part of nodejs-polars out on Node 20 (it declares
 * Node 22), although it runs there. Without {@code node} or {@code npm}, or when the install fails, the
 * tests that need these files fail with a message that says so: they are never skipped.
 */
public final class ForeignParquetWriters {

    private static final String RESOURCES = "/foreign-writers/";
    private static final String SCRIPT = "write-files.mjs";
    private static final List<String> PACKAGE_FILES = List.of("package.json", "package-lock.json");
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration WRITE_TIMEOUT = Duration.ofMinutes(3);

    private ForeignParquetWriters() {}

    /**
     * One written file and what the script says about it.
     *
     * @param codec the codec the writer was asked for, as Parquet names the codec it writes
     * @param layout claims about the file's pages for {@code ForeignWriterFilesTest} to check:
     *     {@code pages=v1|v2}, {@code rowGroups>=N}, {@code dictionaryFallback}, {@code pageBytes>=N},
     *     {@code userAgentEncoding=E}, {@code creationTimeEncoding=E}
     * @param matched rows of {@link Jobs#REFERENCE_USER_AGENT}
     * @param nameHour the date-hour of the file name
     * @param recordHours the matched rows that have a creation time, per wall-clock date-hour of that time
     */
    public record ForeignFile(
            Path path,
            String writer,
            String caseName,
            CompressionCodecName codec,
            List<String> layout,
            long rows,
            long matched,
            LocalDateTime nameHour,
            Map<LocalDateTime, Long> recordHours) {

        public String name() {
            return path.getFileName().toString();
        }

        public EventKind kind() {
            return name().startsWith(EventKind.CLICK.prefix() + "_") ? EventKind.CLICK : EventKind.IMPRESSION;
        }

        @Override
        public String toString() {
            return writer + " " + caseName;
        }
    }

    /**
     * Writes every case of the script into {@code dir}, wall-clock hours in {@code zone}; afterwards
     * {@code dir} holds the Parquet files and nothing else.
     */
    public static List<ForeignFile> write(Path dir, ZoneId zone) {
        requireTool("node");
        Path packages = installedPackages();
        Path script = packages.resolve(SCRIPT);
        try {
            copyResource(SCRIPT, script);
            Path log = Files.createTempFile("write-files", ".log");
            run(List.of("node", script.toString(), dir.toString(), zone.getId()), packages, WRITE_TIMEOUT, log);
            Files.delete(log);
            Path manifest = dir.resolve("manifest.tsv");
            List<ForeignFile> files = manifest(dir, Files.readAllLines(manifest));
            Files.delete(manifest);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder with the script's {@code node_modules}, installed now if this lock file's set is not there yet. */
    private static synchronized Path installedPackages() {
        try {
            Path base = Path.of(System.getProperty("foreign-writers.dir", "target/foreign-writers"))
                    .toAbsolutePath();
            Path installed = base.resolve("npm-" + lockHash());
            if (Files.exists(installed.resolve(".installed"))) {
                return installed;
            }
            Files.createDirectories(base);
            Path fresh = Files.createTempDirectory(base, "installing-");
            for (String file : PACKAGE_FILES) {
                copyResource(file, fresh.resolve(file));
            }
            requireTool("npm");
            run(
                    List.of("npm", "install", "--no-audit", "--no-fund"),
                    fresh,
                    INSTALL_TIMEOUT,
                    fresh.resolve("npm-install.log"));
            Files.writeString(fresh.resolve(".installed"), "");
            try {
                Files.move(fresh, installed, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException
                    | AtomicMoveNotSupportedException
                    | java.nio.file.DirectoryNotEmptyException e) {
                // another test JVM installed the same set meanwhile: use that one
                deleteTree(fresh);
            }
            return installed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireTool(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new AssertionError(missing(tool, "'" + tool + " --version' did not succeed"));
            }
        } catch (IOException e) {
            throw new AssertionError(missing(tool, e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String missing(String tool, String why) {
        return "the foreign-writer Parquet tests need Node.js 20+ with npm (node and npm on the PATH; Debian: "
                + "apt-get install nodejs npm), but " + tool + " cannot be run: " + why;
    }

    /** Runs a command in {@code dir}, its output into {@code log}; fails with the log's tail unless it exits 0 in time. */
    private static void run(List<String> command, Path dir, Duration timeout, Path log) throws IOException {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(
                        String.join(" ", command) + " did not finish within " + timeout + "; output:\n" + tail(log));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue() + " in " + dir
                    + "; output:\n" + tail(log));
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static List<ForeignFile> manifest(Path dir, List<String> lines) {
        List<String> header = Arrays.asList(lines.get(0).split("\t"));
        if (!header.equals(
                List.of("file", "writer", "case", "codec", "layout", "rows", "matched", "nameHour", "recordHours"))) {
            throw new IllegalStateException("unexpected manifest columns " + header);
        }
        List<ForeignFile> files = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            Map<LocalDateTime, Long> hours = new LinkedHashMap<>();
            for (String entry : f[8].isEmpty() ? new String[0] : f[8].split(",")) {
                String[] hourCount = entry.split("=");
                hours.put(LocalDateTime.parse(hourCount[0]), Long.parseLong(hourCount[1]));
            }
            files.add(new ForeignFile(
                    dir.resolve(f[0]),
                    f[1],
                    f[2],
                    CompressionCodecName.valueOf(f[3]),
                    List.of(f[4].split(",")),
                    Long.parseLong(f[5]),
                    Long.parseLong(f[6]),
                    LocalDateTime.parse(f[7]),
                    hours));
        }
        return files;
    }

    private static String lockHash() throws IOException {
        try (InputStream in = resource("package-lock.json")) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = resource(name)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = ForeignParquetWriters.class.getResourceAsStream(RESOURCES + name);
        if (in == null) {
            throw new IllegalStateException("test resource " + RESOURCES + name + " is missing");
        }
        return in;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
