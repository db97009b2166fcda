package org.impressionsclicks.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Folders of this repository, seen from a test (which Maven runs in the module's folder). */
public final class Repo {

    private Repo() {}

    /** The repository's root: the folder with {@code conf/config.yaml}. */
    public static Path root() {
        Path module = Path.of("").toAbsolutePath();
        for (Path p = module; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("conf/config.yaml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no conf/config.yaml above " + module);
    }

    /** The shipped {@code conf/} folder. */
    public static Path conf() {
        return root().resolve("conf");
    }
}
