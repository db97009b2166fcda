package org.impressionsclicks.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;

/**
 * Checks the folders of a run on this machine before anything starts, so that a wrong path is one
 * line naming the option and the path (exit code 2) instead of a job that fails and restarts: the
 * input folder exists and can be listed, the output folder can be created and written, and the
 * archive folder is on the input's file system (processed files are moved there by rename).
 *
 * <p>Only local paths (no scheme, or {@code file:}) are checked; others are the file system's to
 * judge when the job runs.
 */
public final class LocalFolders {

    private LocalFolders() {}

    /** @throws ConfigException naming the first option whose folder can't be used */
    public static void check(JobConfig config) {
        Optional<Path> input = local(config.input);
        if (input.isPresent()) {
            Path in = input.get();
            if (!Files.exists(in)) {
                throw bad(JobOptions.INPUT, config.input, "no such folder");
            }
            if (!Files.isDirectory(in)) {
                throw bad(JobOptions.INPUT, config.input, "not a folder");
            }
            if (!Files.isReadable(in) || !Files.isExecutable(in)) {
                throw bad(JobOptions.INPUT, config.input, "cannot be read (permissions)");
            }
        }
        local(config.output).ifPresent(out -> writableFolder(JobOptions.OUTPUT, config.output, out));
        if (config.processed == ProcessedFilesMode.ARCHIVE && input.isPresent()) {
            local(config.archiveDir).ifPresent(archive -> {
                if (!fileStore(nearestExisting(archive)).equals(fileStore(input.get()))) {
                    throw bad(
                            JobOptions.ARCHIVE_DIR,
                            config.archiveDir,
                            "is on another file system than --input " + config.input
                                    + " (processed files are moved by rename; use a folder on the same file system)");
                }
                writableFolder(JobOptions.ARCHIVE_DIR, config.archiveDir, archive);
            });
        }
    }

    private static void writableFolder(ConfigOption<String> option, String value, Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw bad(
                    option,
                    value,
                    "cannot create the folder (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        if (!Files.isWritable(folder)) {
            throw bad(option, value, "cannot be written (permissions)");
        }
    }

    /** Whether {@code value} is a path on this machine's file system (no scheme, or {@code file:}). */
    public static boolean isLocal(String value) {
        return local(value).isPresent();
    }

    /** The path of a local folder option, or empty for another file system (s3://...). */
    static Optional<Path> local(String value) {
        int colon = value.indexOf(':');
        boolean scheme = colon > 1 && value.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*");
        if (!scheme) {
            return Optional.of(Path.of(value).toAbsolutePath());
        }
        return value.startsWith("file:") ? Optional.of(Path.of(URI.create(value))) : Optional.empty();
    }

    private static Path nearestExisting(Path path) {
        Path p = path.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? Path.of("/") : p;
    }

    private static FileStore fileStore(Path path) {
        try {
            return Files.getFileStore(path);
        } catch (IOException e) {
            throw new ConfigException("cannot tell the file system of " + path + ": " + e.getMessage());
        }
    }

    private static ConfigException bad(ConfigOption<?> option, String value, String why) {
        return new ConfigException("--" + JobOptions.cliName(option) + " " + value + ": " + why);
    }
}
