package org.impressionsclicks.source;

import java.io.FileNotFoundException;

/** The watched input folder is not there (not mounted yet, a typo, removed). */
public final class MissingInputFolderException extends FileNotFoundException {

    private static final long serialVersionUID = 1L;

    public MissingInputFolderException(String folder) {
        super("input folder " + folder + " does not exist");
    }
}
