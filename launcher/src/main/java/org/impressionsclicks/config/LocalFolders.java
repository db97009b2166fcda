package org.impressionsclicks.config;

import java.io.IOException;
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
 * <p>Only local paths (no scheme, or {@code file:}, see {@link LocalPaths}) are checked; others are the
 * file system's to judge when the job runs.
 */
public final class LocalFolders {

    private LocalFolders() {}

    /** @throws ConfigException naming the first option whose folder can't be used */
    public static void check(JobConfig config) {
        Optional<Path> input = LocalPaths.of(config.input);
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
        LocalPaths.of(config.output).ifPresent(out -> writableFolder(JobOptions.OUTPUT, config.output, out));
        if (config.processed == ProcessedFilesMode.ARCHIVE && input.isPresent()) {
            LocalPaths.of(config.archiveDir).ifPresent(archive -> {
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
