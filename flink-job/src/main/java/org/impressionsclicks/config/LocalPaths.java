package org.impressionsclicks.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a folder option names a path on this machine's file system (no scheme, or {@code file:}) or
 * one on another file system ({@code s3://...}): the job lists a local folder more often, the launcher
 * checks local folders before it starts and loads the file-system plugins only for the others.
 */
public final class LocalPaths {

    private LocalPaths() {}

    /** Whether {@code value} is a path on this machine's file system (no scheme, or {@code file:}). */
    public static boolean isLocal(String value) {
        return of(value).isPresent();
    }

    /** The path of a local folder option, or empty for another file system (s3://...). */
    public static Optional<Path> of(String value) {
        int colon = value.indexOf(':');
        boolean scheme = colon > 1 && value.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*");
        if (!scheme) {
            return Optional.of(Path.of(value).toAbsolutePath());
        }
        return value.startsWith("file:") ? Optional.of(Path.of(URI.create(value))) : Optional.empty();
    }
}
