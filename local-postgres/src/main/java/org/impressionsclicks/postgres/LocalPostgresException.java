package org.impressionsclicks.postgres;

/** A {@link LocalPostgres} server could not be found, started, used or stopped; the message is one line. */
public final class LocalPostgresException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    LocalPostgresException(String message) {
        super(message);
    }

    LocalPostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
