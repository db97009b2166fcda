package org.impressionsclicks.source;

import java.io.IOException;

/** A file that has a valid name but is not a readable Parquet event file; the message is the reason. */
public class InvalidEventFileException extends IOException {

    private static final long serialVersionUID = 1L;

    public InvalidEventFileException(String reason) {
        super(reason);
    }

    public InvalidEventFileException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
