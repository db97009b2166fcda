package org.impressionsclicks.sink;

/** The configured database can't be reached or used; the message is one line for the user. */
public final class DatabaseUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DatabaseUnavailableException(String message) {
        super(message);
    }
}
